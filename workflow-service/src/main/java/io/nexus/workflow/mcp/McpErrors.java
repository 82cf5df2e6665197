package io.nexus.workflow.mcp;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.nexus.common.problem.FieldError;
import io.nexus.common.problem.Problem;
import io.nexus.common.problem.ProblemException;
import io.nexus.workflow.client.MarketplaceServiceException;
import io.smallrye.mutiny.Uni;

/**
 * How the services' problems reach an MCP client. What the caller asked wrongly (bad arguments, an unknown workflow,
 * execution or session, a role that does not allow it) is a JSON-RPC error naming the problem; what happened while
 * serving a well-formed call (a quota used up, a dependency down, a conflict) is a tool result with
 * {@code isError: true}, which an agent reads and can act on ("retry after 3 s").
 */
final class McpErrors {

    private McpErrors() {
    }

    /** Whether {@code problem} is the caller's mistake, answered as a JSON-RPC error. */
    static boolean isCallersMistake(ProblemException problem) {
        int status = problem.type().status();
        return status == 400 || status == 401 || status == 403 || status == 404 || status == 413 || status == 422;
    }

    /** The JSON-RPC error for a caller's mistake: invalid params, with every field error in message and data. */
    static McpError asJsonRpcError(ProblemException problem) {
        Problem body = problem.toProblem(null);
        List<FieldError> errors = body.errors() == null ? List.of() : body.errors();
        int code = problem.type().status() == 403 ? McpCaller.FORBIDDEN : McpSchema.ErrorCodes.INVALID_PARAMS;
        String message = errors.isEmpty() ? body.detail()
                : body.detail() + ": " + errors.stream().map(error -> error.field() + ": " + error.message())
                        .collect(Collectors.joining("; "));
        Object data = errors.isEmpty() ? null
                : Map.of("errors", errors.stream().map(error -> Map.of("field", error.field(),
                        "message", error.message())).toList());
        return new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(code, message, data));
    }

    static McpError invalidParams(String message) {
        return new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INVALID_PARAMS, message,
                null));
    }

    /** A served call's failure as a tool result, with when to retry when the service said (429, 503). */
    static McpSchema.CallToolResult failedResult(ProblemException problem) {
        String retryAfter = problem.headers().get("Retry-After");
        return failedResult(retryAfter == null ? problem.getMessage()
                : problem.getMessage() + "; retry after " + retryAfter + " s");
    }

    /**
     * marketplace-service's refusal of the caller's input as a JSON-RPC error (-32602, its detail and fields), or
     * its unavailability as an error result saying that the marketplace {@code cannot} right now.
     */
    static Uni<McpSchema.CallToolResult> marketplaceFailure(MarketplaceServiceException failure, String cannot,
            String retry) {
        return failure.isCallersMistake() ? Uni.createFrom().failure(invalidParams(failure.getMessage()))
                : Uni.createFrom().item(failedResult("the marketplace cannot " + cannot + " right now ("
                        + failure.getMessage() + "); " + retry));
    }

    /** A tool result that reports a failure the agent should see (and may retry), not a protocol error. */
    static McpSchema.CallToolResult failedResult(String message) {
        return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
    }
}
