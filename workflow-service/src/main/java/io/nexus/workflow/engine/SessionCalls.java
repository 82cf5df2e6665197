package io.nexus.workflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.workflow.client.SessionCaller;
import io.nexus.workflow.client.SessionServiceClient;
import io.nexus.workflow.client.SessionServiceException;
import io.nexus.workflow.domain.ExecutionError;
import io.nexus.workflow.domain.ExecutionRecord;
import io.smallrye.mutiny.Uni;

/**
 * session-service's answers as node outcomes (docs/api.md §5.5): the session's data, or why there is none —
 * {@code not-found} (the session is gone), {@code limit} (a merge over the size limit), {@code unavailable}
 * (session-service gave no usable answer). The calls act for the execution: its tenant, channel and session, with the
 * execution id as request id.
 */
final class SessionCalls {

    static final String WITHOUT_SESSION = "the execution was started without a session (X-Nexus-Session)";

    private SessionCalls() {
    }

    /** The session's data; never fails (a failure is an outcome). */
    static Uni<NodeOutcome> data(SessionServiceClient client, ExecutionRecord execution) {
        return outcome(client.data(caller(execution)), execution);
    }

    /** The data after merging {@code patch}; never fails. */
    static Uni<NodeOutcome> merge(SessionServiceClient client, ExecutionRecord execution, ObjectNode patch) {
        return outcome(client.merge(caller(execution), patch), execution);
    }

    static NodeOutcome failure(Throwable failure, ExecutionRecord execution) {
        if (!(failure instanceof SessionServiceException answer)) {
            return NodeOutcome.failure(ExecutionError.UNAVAILABLE, "session-service could not be reached ("
                    + failure.getClass().getSimpleName() + ")");
        }
        return switch (answer.kind()) {
            case GONE -> NodeOutcome.failure(ExecutionError.NOT_FOUND, "the session " + execution.sessionId()
                    + " has expired, was closed or does not exist");
            case TOO_LARGE -> NodeOutcome.failure(ExecutionError.LIMIT,
                    "the session's data would exceed 64 KiB after the merge; nothing was stored");
            case UNAVAILABLE -> NodeOutcome.failure(ExecutionError.UNAVAILABLE, answer.getMessage());
        };
    }

    private static Uni<NodeOutcome> outcome(Uni<JsonNode> call, ExecutionRecord execution) {
        return call.map(NodeOutcome::success).onFailure().recoverWithItem(failure -> failure(failure, execution));
    }

    private static SessionCaller caller(ExecutionRecord execution) {
        return new SessionCaller(execution.tenantId().toString(), execution.channel(), execution.sessionId(),
                execution.id().toString());
    }
}
