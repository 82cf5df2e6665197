package io.nexus.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexus.cli.ExitCodes;
import io.nexus.cli.output.Printer;

/** An ended execution's outcome, as a sync start or the `end` event tells it, for people and as an exit code. */
final class ExecutionResults {

    private ExecutionResults() {
    }

    static boolean ended(String status) {
        return status.equals("completed") || status.equals("failed") || status.equals("cancelled");
    }

    /** 1 for an execution that failed or was cancelled: what scripts branch on. */
    static int exitCode(JsonNode result) {
        String status = result.path("status").asText();
        return status.equals("failed") || status.equals("cancelled") ? ExitCodes.EXECUTION_FAILED : ExitCodes.OK;
    }

    /** Works for both shapes: {executionId, ...} of a start or an `end`, and {id, ...} of GET /executions/{id}. */
    static void print(Printer printer, JsonNode result) {
        String id = result.has("executionId") ? result.path("executionId").asText() : result.path("id").asText();
        String status = result.path("status").asText();
        StringBuilder line = new StringBuilder("execution ").append(id).append(' ')
                .append(printer.style().status(status));
        if (result.hasNonNull("durationMs")) {
            line.append(" in ").append(result.path("durationMs").asLong()).append(" ms");
        }
        printer.line(line.toString());
        JsonNode error = result.path("error");
        if (error.isObject()) {
            String node = error.hasNonNull("node") ? " at node " + error.path("node").asText() : "";
            printer.line(printer.style().red("error" + node + ": " + error.path("code").asText() + ": "
                    + error.path("message").asText()));
        }
        if (result.hasNonNull("outputs")) {
            printer.line("outputs: " + printer.compact(result.path("outputs")));
        }
    }
}
