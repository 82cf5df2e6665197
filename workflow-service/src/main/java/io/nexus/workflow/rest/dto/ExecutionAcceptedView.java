package io.nexus.workflow.rest.dto;

/**
 * A start answered with 202: the execution is pending, still running, or waiting (parked on a signal, a timer or a
 * child); its Location tells where to follow it.
 */
public record ExecutionAcceptedView(String executionId, String status) {
}
