package io.nexus.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexus.cli.CliException;
import io.nexus.cli.ExitCodes;
import io.nexus.cli.http.NexusClient;
import io.nexus.cli.output.Printer;
import io.nexus.cli.output.Table;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Workflows (docs/api.md §4.3) and starting their executions (§4.4). */
@Command(name = "workflow", description = WorkflowCommand.DESCRIPTION)
public final class WorkflowCommand extends ApiCommand {

    /** A constant, so that the root's help can show it without loading this class. */
    public static final String DESCRIPTION = "List, show, create, update, delete and run workflows.";

    @Command(name = "list", description = "Workflows of the key's tenant, oldest first.")
    int list(@Option(names = {"-q", "--query"}, description = "a substring of the name or description") String query,
             @Option(names = "--limit", description = "1-100 (default 20)") Integer limit,
             @Option(names = "--cursor", description = "nextCursor of the previous page") String cursor) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("q", query);
        parameters.put("limit", limit);
        parameters.put("cursor", cursor);
        JsonNode page = client().get("/api/v1/workflows" + NexusClient.query(parameters)).body();
        Printer printer = printer();
        printer.emit(page, () -> {
            Table table = new Table("NAME", "VERSION", "UPDATED", "DESCRIPTION");
            for (JsonNode item : page.path("items")) {
                table.row(text(item, "name"), text(item, "latestVersion"), text(item, "updatedAt"),
                        text(item, "description"));
            }
            printer.table(table);
            PageFooter.print(printer, page);
        });
        return ExitCodes.OK;
    }

    @Command(name = "show", description = "A workflow's latest version, or the one asked for.")
    int show(@Parameters(paramLabel = "NAME") String name,
             @Option(names = "--version", description = "a version number") Integer version) {
        String query = version == null ? "" : "?version=" + version;
        JsonNode workflow = client().get("/api/v1/workflows/" + NexusClient.segment(name) + query).body();
        Printer printer = printer();
        printer.emit(workflow, () -> printWorkflow(printer, workflow));
        return ExitCodes.OK;
    }

    @Command(name = "create", description = "Register a workflow from a definition file (docs/api.md §5).")
    int create(@Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
            description = "the definition, JSON; - for stdin") String file) {
        JsonNode definition = jsonObjectArgument("--file", source(file));
        JsonNode workflow = client().post("/api/v1/workflows", definition).body();
        Printer printer = printer();
        printer.emit(workflow, () -> printer.line("created workflow " + text(workflow, "name") + " version "
                + text(workflow, "version")));
        return ExitCodes.OK;
    }

    @Command(name = "update", description = "Store a definition file as the workflow's next version.")
    int update(@Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
                       description = "the definition, JSON; - for stdin") String file,
               @Parameters(paramLabel = "NAME", arity = "0..1",
                       description = "the workflow (default: the definition's name)") String name) {
        JsonNode definition = jsonObjectArgument("--file", source(file));
        String target = name != null ? name : definition.path("name").asText("");
        if (target.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "the definition has no name: give NAME");
        }
        JsonNode workflow = client().put("/api/v1/workflows/" + NexusClient.segment(target), definition).body();
        Printer printer = printer();
        printer.emit(workflow, () -> printer.line("updated workflow " + text(workflow, "name") + " to version "
                + text(workflow, "version")));
        return ExitCodes.OK;
    }

    @Command(name = "delete", description = "Delete a workflow; started executions run to their end.")
    int delete(@Parameters(paramLabel = "NAME") String name) {
        client().delete("/api/v1/workflows/" + NexusClient.segment(name));
        ObjectNode result = json().createObjectNode().put("name", name).put("deleted", true);
        Printer printer = printer();
        printer.emit(result, () -> printer.line("deleted workflow " + name));
        return ExitCodes.OK;
    }

    @Command(name = "run", description = "Start an execution. Without --async the API waits up to 30 s for its end; "
            + "--wait follows it to the end however long it takes. Exits 1 when the execution failed or was cancelled.")
    int run(@Parameters(paramLabel = "NAME") String name,
            @Option(names = {"-i", "--input"}, paramLabel = "JSON|@FILE", description = "the inputs object (default {})")
            String input,
            @Option(names = "--async", description = "answer at once with the execution id") boolean async,
            @Option(names = "--wait", description = "follow the execution to its end") boolean wait,
            @Option(names = "--session", paramLabel = "ID", description = "run within this session (X-Nexus-Session)")
            String session,
            @Option(names = "--version", description = "a version other than the latest") Integer version,
            @Option(names = "--idempotency-key", paramLabel = "KEY", description = "retry-safe start") String idempotencyKey) {
        ObjectNode body = json().createObjectNode();
        body.set("inputs", input == null ? json().createObjectNode() : jsonObjectArgument("--input", input));
        if (async) {
            body.put("mode", "async");
        }
        if (version != null) {
            body.put("version", version);
        }
        NexusClient client = root().client(session);
        JsonNode started = client.post("/api/v1/workflows/" + NexusClient.segment(name) + "/executions", body,
                idempotencyKey).body();
        Printer printer = printer();
        JsonNode result = started;
        if (wait && !ExecutionResults.ended(started.path("status").asText())) {
            if (printer.forPeople()) {
                printer.line("execution " + text(started, "executionId") + " started, following it");
            }
            result = new ExecutionFollower(client, json(), printer, root().environment().stdoutIsTerminal())
                    .follow(text(started, "executionId"));
        }
        JsonNode outcome = result;
        printer.emit(outcome, () -> ExecutionResults.print(printer, outcome));
        return ExecutionResults.exitCode(outcome);
    }

    private static void printWorkflow(Printer printer, JsonNode workflow) {
        var pairs = Printer.pairs();
        pairs.add(new String[] {"name", text(workflow, "name")});
        pairs.add(new String[] {"version", text(workflow, "version") + " of " + text(workflow, "latestVersion")});
        if (workflow.hasNonNull("description")) {
            pairs.add(new String[] {"description", text(workflow, "description")});
        }
        pairs.add(new String[] {"created", text(workflow, "createdAt")});
        pairs.add(new String[] {"this version", text(workflow, "versionCreatedAt")});
        pairs.add(new String[] {"inputs", printer.compact(workflow.path("inputSchema"))});
        printer.fields(pairs);
        printer.line("");
        Table nodes = new Table("NODE", "TYPE", "ON ERROR", "CONFIG");
        for (JsonNode node : workflow.path("nodes")) {
            nodes.row(text(node, "id"), text(node, "type"), text(node, "onError"),
                    ExecutionFollower.abbreviate(printer.compact(node.path("config"))));
        }
        printer.table(nodes);
        if (workflow.path("edges").size() > 0) {
            printer.line("");
            Table edges = new Table("FROM", "TO", "WHEN");
            for (JsonNode edge : workflow.path("edges")) {
                edges.row(text(edge, "from"), text(edge, "to"), text(edge, "when"));
            }
            printer.table(edges);
        }
    }

    /** -f FILE reads the file, -f - reads stdin: the same as @FILE and @- of the JSON arguments. */
    private static String source(String file) {
        return "@" + file;
    }
}
