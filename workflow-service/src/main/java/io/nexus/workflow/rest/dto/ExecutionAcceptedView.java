package io.nexus.workflow.rest.dto;

/** A start answered with 202: the execution is pending or still running; its Location tells where to follow it. */
public record ExecutionAcceptedView(String executionId, String status) {
}
