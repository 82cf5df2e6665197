package io.nexus.workflow.rest.dto;

/** A signal stored for an execution (202); {@code status} is always {@code accepted}. */
public record SignalAcceptedView(String executionId, String signal, String status) {

    public static SignalAcceptedView of(String executionId, String signal) {
        return new SignalAcceptedView(executionId, signal, "accepted");
    }
}
