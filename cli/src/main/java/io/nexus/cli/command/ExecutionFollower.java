package io.nexus.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nexus.cli.CliException;
import io.nexus.cli.ExitCodes;
import io.nexus.cli.http.NexusClient;
import io.nexus.cli.output.Printer;
import io.nexus.cli.output.Table;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Follows an execution's event stream (docs/api.md §4.4) to its `end`. For people it shows the steps as they change:
 * on a terminal one table redrawn in place, elsewhere one line per step event. It answers the end document, or the
 * execution as GET shows it when the stream closed without one.
 */
final class ExecutionFollower {

    // Cursor to the start of the line N lines up, then clear to the end of the screen: redraws the table in place.
    private static final String UP = "\u001b[%dF\u001b[J";

    private final NexusClient client;
    private final ObjectMapper json;
    private final Printer printer;
    private final boolean live;
    private final Map<String, JsonNode> steps = new LinkedHashMap<>();
    private int linesDrawn;
    private JsonNode end;

    ExecutionFollower(NexusClient client, ObjectMapper json, Printer printer, boolean terminal) {
        this.client = client;
        this.json = json;
        this.printer = printer;
        this.live = terminal && printer.forPeople();
    }

    JsonNode follow(String executionId) {
        client.stream("/api/v1/executions/" + NexusClient.segment(executionId) + "/events", event -> {
            JsonNode data = parse(event.data());
            if ("step".equals(event.event())) {
                step(data);
            } else if ("end".equals(event.event())) {
                end = data;
            }
        });
        if (end != null) {
            return end;
        }
        // The stream may close without `end` (the deadline passed, or it ran for an hour): report what is known.
        return client.get("/api/v1/executions/" + NexusClient.segment(executionId)).body();
    }

    private void step(JsonNode step) {
        steps.put(step.path("node").asText(), step);
        if (!printer.forPeople()) {
            return;
        }
        PrintWriter out = printer.writer();
        if (live) {
            if (linesDrawn > 0) {
                out.print(String.format(UP, linesDrawn));
            }
            Table table = stepTable(steps.values(), printer);
            var lines = table.render(printer.style());
            lines.forEach(out::println);
            linesDrawn = lines.size();
        } else {
            out.println("step " + step.path("node").asText() + " " + step.path("status").asText()
                    + " (attempt " + step.path("attempts").asInt() + ")");
        }
        out.flush();
    }

    static Table stepTable(Iterable<JsonNode> steps, Printer printer) {
        Table table = new Table("NODE", "STATUS", "ATTEMPTS", "FINISHED", "OUTPUT / ERROR");
        for (JsonNode step : steps) {
            JsonNode error = step.path("error");
            String result = error.isObject()
                    ? error.path("code").asText() + ": " + error.path("message").asText()
                    : abbreviate(printer.compact(step.path("output")));
            table.row(step.path("node").asText(), step.path("status").asText(), step.path("attempts").asText(),
                    ApiCommand.text(step, "finishedAt"), result);
        }
        return table;
    }

    static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    private JsonNode parse(String data) {
        try {
            return json.readTree(data);
        } catch (IOException e) {
            throw new CliException(ExitCodes.SERVER_OR_NETWORK, "unreadable event from the API: " + e.getMessage());
        }
    }
}
