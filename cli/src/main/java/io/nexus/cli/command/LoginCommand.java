package io.nexus.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexus.cli.CliException;
import io.nexus.cli.ExitCodes;
import io.nexus.cli.config.CliConfig;
import io.nexus.cli.config.ConfigStore;
import io.nexus.cli.http.NexusClient;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Checks a key against the API, then stores URL and key owner-only in config.json. */
@Command(name = "login", description = LoginCommand.DESCRIPTION)
public final class LoginCommand extends ApiCommand implements Callable<Integer> {

    /** A constant, so that the root's help can show it without loading this class. */
    public static final String DESCRIPTION = "Store the API URL and key (~/.config/nexus/config.json, mode 600).";

    @Option(names = "--url", required = true, description = "the gateway, e.g. http://127.0.0.1:8000")
    String url;

    @Option(names = "--key", required = true, description = "an API key (nxk_...) or the platform admin key")
    String key;

    @Override
    public Integer call() {
        NexusClient client = new NexusClient(url, key, null, json());
        ObjectNode result = json().createObjectNode();
        result.put("url", client.baseUrl());
        JsonNode tenant = ownTenant(client);
        if (tenant != null) {
            result.set("tenant", tenant);
            result.put("platformAdmin", false);
        } else {
            result.putNull("tenant");
            result.put("platformAdmin", true);
        }
        ConfigStore store = root().configStore();
        store.write(new CliConfig(client.baseUrl(), key));
        result.put("config", store.file().toString());
        printer().emit(result, () -> printer().line(tenant != null
                ? "Logged in to " + client.baseUrl() + " as tenant " + text(tenant, "name") + " (" + text(tenant, "id") + ")"
                : "Logged in to " + client.baseUrl() + " as the platform admin"));
        return ExitCodes.OK;
    }

    /** The key's own tenant; null for the platform admin, whose key may read /tenants but not /tenant. */
    private static JsonNode ownTenant(NexusClient client) {
        try {
            return client.get("/api/v1/tenant").body();
        } catch (CliException e) {
            if (e.exitCode() != ExitCodes.AUTH || !e.getMessage().startsWith("403")) {
                throw e;
            }
        }
        try {
            client.get("/api/v1/tenants?limit=1");
            return null;
        } catch (CliException e) {
            throw new CliException(e.exitCode(), "the key is neither a tenant's nor the platform admin's: "
                    + e.getMessage(), List.of());
        }
    }
}
