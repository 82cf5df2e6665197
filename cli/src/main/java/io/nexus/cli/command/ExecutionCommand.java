package io.nexus.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexus.cli.ExitCodes;
import io.nexus.cli.http.NexusClient;
import io.nexus.cli.output.Printer;
import io.nexus.cli.output.Table;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Executions (docs/api.md §4.4): read, cancel, signal, and follow their event stream. */
@Command(name = "execution", description = ExecutionCommand.DESCRIPTION)
public final class ExecutionCommand extends ApiCommand {

    /** A constant, so that the root's help can show it without loading this class. */
    public static final String DESCRIPTION = "List, show, cancel, signal and watch executions.";

    @Command(name = "list", description = "Executions, newest first.")
    int list(@Option(names = {"-w", "--workflow"}, paramLabel = "NAME") String workflow,
             @Option(names = {"-s", "--status"}, description = "pending, running, waiting, completed, failed, cancelled")
             String status,
             @Option(names = "--limit", description = "1-100 (default 20)") Integer limit,
             @Option(names = "--cursor", description = "nextCursor of the previous page") String cursor) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("workflow", workflow);
        parameters.put("status", status);
        parameters.put("limit", limit);
        parameters.put("cursor", cursor);
        JsonNode page = client().get("/api/v1/executions" + NexusClient.query(parameters)).body();
        Printer printer = printer();
        printer.emit(page, () -> {
            Table table = new Table("ID", "WORKFLOW", "VERSION", "STATUS", "CHANNEL", "CREATED", "ERROR");
            for (JsonNode item : page.path("items")) {
                table.row(text(item, "id"), text(item, "workflow"), text(item, "version"), text(item, "status"),
                        text(item, "channel"), text(item, "createdAt"), text(item.path("error"), "code"));
            }
            printer.table(table);
            PageFooter.print(printer, page);
        });
        return ExitCodes.OK;
    }

    @Command(name = "show", description = "An execution with its steps.")
    int show(@Parameters(paramLabel = "ID") String id) {
        JsonNode execution = client().get(path(id)).body();
        Printer printer = printer();
        printer.emit(execution, () -> printExecution(printer, execution));
        return ExitCodes.OK;
    }

    @Command(name = "cancel", description = "Cancel an execution that has not ended (and its sub-workflows).")
    int cancel(@Parameters(paramLabel = "ID") String id) {
        JsonNode execution = client().post(path(id) + "/cancel", null).body();
        Printer printer = printer();
        printer.emit(execution, () -> printer.line("execution " + text(execution, "id") + " "
                + printer.style().status(text(execution, "status"))));
        return ExitCodes.OK;
    }

    @Command(name = "signal", description = "Send a signal to an execution's wait node.")
    int signal(@Parameters(index = "0", paramLabel = "ID") String id,
               @Parameters(index = "1", paramLabel = "NAME") String name,
               @Option(names = {"-p", "--payload"}, paramLabel = "JSON|@FILE", description = "any JSON") String payload) {
        ObjectNode body = json().createObjectNode();
        if (payload != null) {
            body.set("payload", jsonArgument("--payload", payload));
        }
        JsonNode answer = client().post(path(id) + "/signals/" + NexusClient.segment(name), body).body();
        Printer printer = printer();
        printer.emit(answer, () -> printer.line("signal " + text(answer, "signal") + " "
                + printer.style().status(text(answer, "status")) + " for execution " + text(answer, "executionId")));
        return ExitCodes.OK;
    }

    @Command(name = "watch", description = "Follow an execution's steps live until it ends (an ended one replays "
            + "them). Exits 1 when it failed or was cancelled.")
    int watch(@Parameters(paramLabel = "ID") String id) {
        Printer printer = printer();
        JsonNode result = new ExecutionFollower(client(), json(), printer, root().environment().stdoutIsTerminal())
                .follow(id);
        printer.emit(result, () -> ExecutionResults.print(printer, result));
        return ExecutionResults.exitCode(result);
    }

    private static String path(String id) {
        return "/api/v1/executions/" + NexusClient.segment(id);
    }

    private static void printExecution(Printer printer, JsonNode execution) {
        var pairs = Printer.pairs();
        pairs.add(new String[] {"id", text(execution, "id")});
        pairs.add(new String[] {"workflow", text(execution, "workflow") + " version " + text(execution, "version")});
        pairs.add(new String[] {"status", printer.style().status(text(execution, "status"))});
        pairs.add(new String[] {"channel", text(execution, "channel")});
        if (execution.hasNonNull("sessionId")) {
            pairs.add(new String[] {"session", text(execution, "sessionId")});
        }
        pairs.add(new String[] {"created", text(execution, "createdAt")});
        pairs.add(new String[] {"finished", text(execution, "finishedAt")});
        pairs.add(new String[] {"inputs", printer.compact(execution.path("inputs"))});
        if (execution.hasNonNull("outputs")) {
            pairs.add(new String[] {"outputs", printer.compact(execution.path("outputs"))});
        }
        JsonNode error = execution.path("error");
        if (error.isObject()) {
            pairs.add(new String[] {"error", text(error, "code") + ": " + text(error, "message")});
        }
        printer.fields(pairs);
        printer.line("");
        printer.table(ExecutionFollower.stepTable(execution.path("steps"), printer));
    }
}
