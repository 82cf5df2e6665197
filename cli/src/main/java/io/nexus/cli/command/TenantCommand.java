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

/** Tenants and their API keys (docs/api.md §4.2): the platform admin's commands, and a tenant admin's keys/usage. */
@Command(name = "tenant", description = TenantCommand.DESCRIPTION, subcommands = TenantCommand.Keys.class)
public final class TenantCommand extends ApiCommand {

    /** A constant, so that the root's help can show it without loading this class. */
    public static final String DESCRIPTION = "Tenants, their usage and API keys (platform admin; a tenant's admin key "
        + "for its own keys and usage).";

    @Command(name = "create", description = "Create a tenant (platform admin).")
    int create(@Parameters(paramLabel = "NAME") String name,
               @Option(names = "--plan", description = "free, standard (default) or enterprise") String plan,
               @Option(names = "--quota", paramLabel = "NAME=N",
                       description = "override a quota, e.g. --quota apiCallsPerMinute=600") Map<String, Long> quotas) {
        ObjectNode body = json().createObjectNode().put("name", name);
        if (plan != null) {
            body.put("plan", plan);
        }
        if (quotas != null && !quotas.isEmpty()) {
            ObjectNode overrides = body.putObject("quotas");
            quotas.forEach(overrides::put);
        }
        JsonNode tenant = client().post("/api/v1/tenants", body).body();
        Printer printer = printer();
        printer.emit(tenant, () -> printTenant(printer, tenant));
        return ExitCodes.OK;
    }

    @Command(name = "list", description = "Tenants, oldest first (platform admin).")
    int list(@Option(names = "--limit", description = "1-100 (default 20)") Integer limit,
             @Option(names = "--cursor", description = "nextCursor of the previous page") String cursor) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("limit", limit);
        parameters.put("cursor", cursor);
        JsonNode page = client().get("/api/v1/tenants" + NexusClient.query(parameters)).body();
        Printer printer = printer();
        printer.emit(page, () -> {
            Table table = new Table("ID", "NAME", "STATUS", "PLAN", "CREATED");
            for (JsonNode item : page.path("items")) {
                table.row(text(item, "id"), text(item, "name"), text(item, "status"), text(item, "plan"),
                        text(item, "createdAt"));
            }
            printer.table(table);
            PageFooter.print(printer, page);
        });
        return ExitCodes.OK;
    }

    @Command(name = "show", description = "A tenant; without ID the key's own tenant.")
    int show(@Parameters(paramLabel = "ID", arity = "0..1") String id) {
        String path = id == null ? "/api/v1/tenant" : "/api/v1/tenants/" + NexusClient.segment(id);
        JsonNode tenant = client().get(path).body();
        Printer printer = printer();
        printer.emit(tenant, () -> printTenant(printer, tenant));
        return ExitCodes.OK;
    }

    @Command(name = "usage", description = "A tenant's usage against its quotas.")
    int usage(@Parameters(paramLabel = "ID") String id) {
        JsonNode usage = client().get("/api/v1/tenants/" + NexusClient.segment(id) + "/usage").body();
        Printer printer = printer();
        printer.emit(usage, () -> {
            printer.line("tenant " + text(usage, "tenantId") + " at " + text(usage, "at"));
            Table table = new Table("QUOTA", "USED", "LIMIT");
            for (Map.Entry<String, JsonNode> entry : usage.properties()) {
                if (entry.getValue().isObject()) {
                    table.row(entry.getKey(), text(entry.getValue(), "used"), text(entry.getValue(), "limit"));
                }
            }
            printer.table(table);
        });
        return ExitCodes.OK;
    }

    private static void printTenant(Printer printer, JsonNode tenant) {
        var pairs = Printer.pairs();
        pairs.add(new String[] {"id", text(tenant, "id")});
        pairs.add(new String[] {"name", text(tenant, "name")});
        pairs.add(new String[] {"status", printer.style().status(text(tenant, "status"))});
        pairs.add(new String[] {"plan", text(tenant, "plan")});
        pairs.add(new String[] {"quotas", printer.compact(tenant.path("quotas"))});
        pairs.add(new String[] {"created", text(tenant, "createdAt")});
        printer.fields(pairs);
    }

    /** A tenant's API keys; a new key is shown once, in the answer that creates it. */
    @Command(name = "keys", description = "List, create and revoke a tenant's API keys.")
    public static final class Keys extends ApiCommand {

        @Command(name = "list", description = "The tenant's keys, revoked ones included (never the key itself).")
        int list(@Parameters(paramLabel = "TENANT_ID") String tenantId,
                 @Option(names = "--limit", description = "1-100 (default 20)") Integer limit,
                 @Option(names = "--cursor", description = "nextCursor of the previous page") String cursor) {
            Map<String, Object> parameters = new LinkedHashMap<>();
            parameters.put("limit", limit);
            parameters.put("cursor", cursor);
            JsonNode page = client().get(path(tenantId) + NexusClient.query(parameters)).body();
            Printer printer = printer();
            printer.emit(page, () -> {
                Table table = new Table("ID", "NAME", "PREFIX", "ROLE", "CREATED", "EXPIRES", "REVOKED");
                for (JsonNode item : page.path("items")) {
                    table.row(text(item, "id"), text(item, "name"), text(item, "prefix"), text(item, "role"),
                            text(item, "createdAt"), text(item, "expiresAt"), text(item, "revokedAt"));
                }
                printer.table(table);
                PageFooter.print(printer, page);
            });
            return ExitCodes.OK;
        }

        @Command(name = "create", description = "Issue a key; it is printed this once.")
        int create(@Parameters(paramLabel = "TENANT_ID") String tenantId,
                   @Option(names = "--name", required = true) String name,
                   @Option(names = "--role", required = true, description = "admin, developer or viewer") String role,
                   @Option(names = "--expires-in-days", paramLabel = "DAYS") Integer expiresInDays) {
            ObjectNode body = json().createObjectNode().put("name", name).put("role", role);
            if (expiresInDays != null) {
                if (expiresInDays < 1) {
                    throw new CliException(ExitCodes.USAGE, "--expires-in-days must be at least 1");
                }
                body.put("expiresInDays", expiresInDays);
            }
            JsonNode key = client().post(path(tenantId), body).body();
            Printer printer = printer();
            printer.emit(key, () -> {
                printer.line("key " + text(key, "id") + " (" + text(key, "role") + "), shown this once:");
                printer.line(text(key, "key"));
            });
            return ExitCodes.OK;
        }

        @Command(name = "revoke", description = "Revoke a key (also when already revoked).")
        int revoke(@Parameters(index = "0", paramLabel = "TENANT_ID") String tenantId,
                   @Parameters(index = "1", paramLabel = "KEY_ID") String keyId) {
            client().delete(path(tenantId) + "/" + NexusClient.segment(keyId));
            ObjectNode result = json().createObjectNode().put("id", keyId).put("revoked", true);
            Printer printer = printer();
            printer.emit(result, () -> printer.line("revoked key " + keyId));
            return ExitCodes.OK;
        }

        private static String path(String tenantId) {
            return "/api/v1/tenants/" + NexusClient.segment(tenantId) + "/api-keys";
        }
    }
}
