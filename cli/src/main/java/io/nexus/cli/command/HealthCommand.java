package io.nexus.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexus.cli.CliException;
import io.nexus.cli.ExitCodes;
import io.nexus.cli.config.CliConfig;
import io.nexus.cli.http.ApiResponse;
import io.nexus.cli.http.NexusClient;
import io.nexus.cli.output.Printer;
import io.nexus.cli.output.Table;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** GET /health (docs/api.md §1.1): needs a URL but no key; a service that is down exits 6. */
@Command(name = "health", description = HealthCommand.DESCRIPTION)
public final class HealthCommand extends ApiCommand implements Callable<Integer> {

    /** A constant, so that the root's help can show it without loading this class. */
    public static final String DESCRIPTION = "Every service's readiness, from the gateway's /health (no key needed).";

    @Override
    public Integer call() {
        CliConfig config = root().configStore().effective(root().environment().variables());
        if (config.url() == null) {
            throw new CliException(ExitCodes.USAGE, "no API URL: run `nexus login --url URL --key KEY` or set NEXUS_URL");
        }
        NexusClient client = new NexusClient(config.url(), null, null, json());
        ApiResponse response = client.getHealth();
        JsonNode health = response.body();
        Printer printer = printer();
        printer.emit(health, () -> {
            printer.line("status: " + printer.style().status(text(health, "status")));
            Table table = new Table("SERVICE", "STATUS", "DEPENDENCIES");
            for (JsonNode service : health.path("services")) {
                String dependencies = dependencies(service.path("dependencies"));
                String reason = text(service, "reason");
                table.row(text(service, "name"), text(service, "status"),
                        reason.isEmpty() ? dependencies : reason);
            }
            printer.table(table);
        });
        return response.status() == 200 ? ExitCodes.OK : ExitCodes.SERVER_OR_NETWORK;
    }

    private static String dependencies(JsonNode dependencies) {
        StringJoiner joiner = new StringJoiner(" ");
        for (Map.Entry<String, JsonNode> entry : dependencies.properties()) {
            joiner.add(entry.getKey() + "=" + entry.getValue().asText());
        }
        return joiner.toString();
    }
}
