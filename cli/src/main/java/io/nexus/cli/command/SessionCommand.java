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

/** Sessions (docs/api.md §4.5): one user's context across channels. */
@Command(name = "session", description = SessionCommand.DESCRIPTION)
public final class SessionCommand extends ApiCommand {

    /** A constant, so that the root's help can show it without loading this class. */
    public static final String DESCRIPTION = "Create, list, show, set (merge data into) and close sessions.";

    @Command(name = "create", description = "Open a session; its id goes with `workflow run --session ID`.")
    int create(@Option(names = {"-u", "--user"}, paramLabel = "USER_ID") String userId,
               @Option(names = "--ttl", paramLabel = "SECONDS", description = "time to live (default 1800)") Integer ttl,
               @Option(names = {"-d", "--data"}, paramLabel = "JSON|@FILE", description = "initial data, an object")
               String data) {
        ObjectNode body = json().createObjectNode();
        if (userId != null) {
            body.put("userId", userId);
        }
        if (ttl != null) {
            body.put("ttlSeconds", ttl);
        }
        if (data != null) {
            body.set("data", jsonObjectArgument("--data", data));
        }
        JsonNode session = client().post("/api/v1/sessions", body).body();
        Printer printer = printer();
        printer.emit(session, () -> printSession(printer, session));
        return ExitCodes.OK;
    }

    @Command(name = "list", description = "Sessions, most recently used first (never their data).")
    int list(@Option(names = "--ended", description = "ended sessions instead of active ones") boolean ended,
             @Option(names = {"-u", "--user"}, paramLabel = "USER_ID") String userId,
             @Option(names = "--limit", description = "1-100 (default 20)") Integer limit,
             @Option(names = "--cursor", description = "nextCursor of the previous page") String cursor) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("active", ended ? "false" : "true");
        parameters.put("userId", userId);
        parameters.put("limit", limit);
        parameters.put("cursor", cursor);
        JsonNode page = client().get("/api/v1/sessions" + NexusClient.query(parameters)).body();
        Printer printer = printer();
        printer.emit(page, () -> {
            Table table = new Table("ID", "USER", "STATUS", "CHANNELS", "LAST ACTIVITY", "EXPIRES");
            for (JsonNode item : page.path("items")) {
                table.row(text(item, "id"), text(item, "userId"), text(item, "status"), channels(item),
                        text(item, "lastActivity"), text(item, "expiresAt"));
            }
            printer.table(table);
            PageFooter.print(printer, page);
        });
        return ExitCodes.OK;
    }

    @Command(name = "show", description = "A session with its data.")
    int show(@Parameters(paramLabel = "ID") String id) {
        JsonNode session = client().get(path(id)).body();
        Printer printer = printer();
        printer.emit(session, () -> printSession(printer, session));
        return ExitCodes.OK;
    }

    @Command(name = "set", description = "Merge JSON into a session's data (a JSON merge patch: null removes a member).")
    int set(@Parameters(paramLabel = "ID") String id,
            @Option(names = {"-d", "--data"}, required = true, paramLabel = "JSON|@FILE") String data) {
        ObjectNode body = json().createObjectNode();
        body.set("data", jsonObjectArgument("--data", data));
        JsonNode session = client().patch(path(id), body).body();
        Printer printer = printer();
        printer.emit(session, () -> printSession(printer, session));
        return ExitCodes.OK;
    }

    @Command(name = "close", description = "Close a session; it answers 404 from then on.")
    int close(@Parameters(paramLabel = "ID") String id) {
        client().delete(path(id));
        ObjectNode result = json().createObjectNode().put("id", id).put("closed", true);
        Printer printer = printer();
        printer.emit(result, () -> printer.line("closed session " + id));
        return ExitCodes.OK;
    }

    private static String path(String id) {
        return "/api/v1/sessions/" + NexusClient.segment(id);
    }

    private static String channels(JsonNode session) {
        StringBuilder channels = new StringBuilder();
        for (JsonNode channel : session.path("channels")) {
            channels.append(channels.length() == 0 ? "" : ",").append(channel.asText());
        }
        return channels.toString();
    }

    private static void printSession(Printer printer, JsonNode session) {
        var pairs = Printer.pairs();
        pairs.add(new String[] {"id", text(session, "id")});
        pairs.add(new String[] {"user", text(session, "userId")});
        pairs.add(new String[] {"channels", channels(session)});
        pairs.add(new String[] {"data", printer.compact(session.path("data"))});
        pairs.add(new String[] {"created", text(session, "createdAt")});
        pairs.add(new String[] {"last activity", text(session, "lastActivity")});
        pairs.add(new String[] {"expires", text(session, "expiresAt")});
        printer.fields(pairs);
    }
}
