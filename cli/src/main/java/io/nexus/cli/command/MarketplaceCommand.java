package io.nexus.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexus.cli.CliException;
import io.nexus.cli.ExitCodes;
import io.nexus.cli.http.NexusClient;
import io.nexus.cli.output.Printer;
import io.nexus.cli.output.Table;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The marketplace (docs/api.md §4.6): find, read, publish, install and review shared workflows. */
@Command(name = "marketplace", description = MarketplaceCommand.DESCRIPTION)
public final class MarketplaceCommand extends ApiCommand {

    /** A constant, so that the root's help can show it without loading this class. */
    public static final String DESCRIPTION = "Search, show, publish (and add versions), install and review "
            + "marketplace items.";

    private static final String ITEMS = "/api/v1/marketplace/items";

    @Command(name = "search", description = "Items matching words (quotes for phrases, -word to exclude), ranked.")
    int search(@Parameters(paramLabel = "QUERY", arity = "0..1", description = "what to look for") String query,
               @Option(names = "--category") String category,
               @Option(names = "--tag") String tag,
               @Option(names = "--license", paramLabel = "SPDX") String license,
               @Option(names = "--min-rating", paramLabel = "1-5") String minRating,
               @Option(names = "--publisher", paramLabel = "TENANT_ID") String publisher,
               @Option(names = "--sort", description = "relevance, rating, installs, newest or trending") String sort,
               @Option(names = "--limit", description = "1-100 (default 20)") Integer limit,
               @Option(names = "--offset", description = "items to skip (default 0)") Integer offset) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("q", query);
        parameters.put("category", category);
        parameters.put("tag", tag);
        parameters.put("license", license);
        parameters.put("minRating", minRating);
        parameters.put("publisher", publisher);
        parameters.put("sort", sort);
        parameters.put("limit", limit);
        parameters.put("offset", offset);
        JsonNode page = client().get(ITEMS + NexusClient.query(parameters)).body();
        Printer printer = printer();
        printer.emit(page, () -> {
            Table table = new Table("ID", "NAME", "VERSION", "RATING", "INSTALLS", "SUMMARY");
            for (JsonNode item : page.path("items")) {
                JsonNode stats = item.path("stats");
                table.row(text(item, "id"), text(item, "name"), text(item, "latestVersion"), rating(stats),
                        stats.path("installs").asText(""), text(item, "summary"));
            }
            printer.table(table);
            int shown = page.path("items").size();
            long total = page.path("total").asLong();
            int from = offset == null ? 0 : offset;
            if (from + shown < total) {
                printer.line(printer.style().dim((from + shown) + " of " + total + "; more: --offset "
                        + (from + shown)));
            }
        });
        return ExitCodes.OK;
    }

    @Command(name = "show", description = "An item with its versions and ratings.")
    int show(@Parameters(paramLabel = "ID") String id) {
        JsonNode item = client().get(item(id)).body();
        Printer printer = printer();
        printer.emit(item, () -> printItem(printer, item));
        return ExitCodes.OK;
    }

    @Command(name = "publish", description = "Publish one of your workflows as a new item (version 1.0.0), or, with "
            + "--item, add a version to your item.")
    int publish(@Parameters(paramLabel = "WORKFLOW", arity = "0..1", description = "the workflow to publish")
                String workflow,
                @Option(names = "--workflow-version", paramLabel = "N", description = "default: its latest")
                Integer workflowVersion,
                @Option(names = "--name", description = "the item's display name") String name,
                @Option(names = "--summary") String summary,
                @Option(names = "--description") String description,
                @Option(names = "--category", paramLabel = "CATEGORY", description = "1 to 3, repeatable")
                List<String> categories,
                @Option(names = "--tag", paramLabel = "TAG", description = "repeatable") List<String> tags,
                @Option(names = "--license", paramLabel = "SPDX", description = "e.g. MIT, Apache-2.0") String license,
                @Option(names = "--item", paramLabel = "ID", description = "add a version to this item") String item,
                @Option(names = "--version", paramLabel = "SEMVER", description = "with --item: the new version")
                String version) {
        ObjectNode body = json().createObjectNode();
        JsonNode answer;
        if (item != null) {
            if (version == null) {
                throw new CliException(ExitCodes.USAGE, "--item needs --version SEMVER");
            }
            body.put("version", version);
            if (workflowVersion != null) {
                body.put("workflowVersion", workflowVersion);
            }
            answer = client().post(item(item) + "/versions", body).body();
        } else {
            if (workflow == null) {
                throw new CliException(ExitCodes.USAGE, "publish needs a WORKFLOW (or --item ID)");
            }
            body.put("workflow", workflow);
            if (workflowVersion != null) {
                body.put("version", workflowVersion);
            }
            putIfSet(body, "name", name);
            putIfSet(body, "summary", summary);
            putIfSet(body, "description", description);
            body.set("categories", strings(categories));
            body.set("tags", strings(tags));
            putIfSet(body, "license", license);
            answer = client().post(ITEMS, body).body();
        }
        Printer printer = printer();
        JsonNode published = answer;
        printer.emit(published, () -> {
            if (published.has("versions")) {
                printItem(printer, published);
            } else {
                printer.line("published version " + text(published, "version"));
            }
        });
        return ExitCodes.OK;
    }

    @Command(name = "install", description = "Install an item into your tenant as a workflow.")
    int install(@Parameters(paramLabel = "ID") String id,
                @Option(names = "--as", paramLabel = "NAME", description = "the workflow's name (default: the item's)")
                String as,
                @Option(names = "--version", paramLabel = "SEMVER", description = "default: the latest not yanked")
                String version) {
        ObjectNode body = json().createObjectNode();
        putIfSet(body, "as", as);
        putIfSet(body, "version", version);
        JsonNode install = client().post(item(id) + "/install", body).body();
        Printer printer = printer();
        printer.emit(install, () -> printer.line("install " + text(install, "installId") + ": workflow '"
                + text(install, "workflow") + "' " + text(install, "status")));
        return ExitCodes.OK;
    }

    @Command(name = "review", description = "Rate an item (one review per tenant; --update changes yours).")
    int review(@Parameters(paramLabel = "ID") String id,
               @Option(names = "--rating", required = true, paramLabel = "1-5") int rating,
               @Option(names = "--comment") String comment,
               @Option(names = "--update", description = "change your tenant's review") boolean update) {
        ObjectNode body = json().createObjectNode().put("rating", rating);
        putIfSet(body, "comment", comment);
        String path = item(id) + "/reviews";
        JsonNode review = update ? client().put(path, body).body() : client().post(path, body).body();
        Printer printer = printer();
        printer.emit(review, () -> printer.line("reviewed " + id + ": " + rating + "/5"
                + (review.path("verified").asBoolean() ? " (verified install)" : "")));
        return ExitCodes.OK;
    }

    private static String item(String id) {
        return ITEMS + "/" + NexusClient.segment(id);
    }

    private ArrayNode strings(List<String> values) {
        ArrayNode array = json().createArrayNode();
        if (values != null) {
            values.forEach(array::add);
        }
        return array;
    }

    private static void putIfSet(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }

    private static String rating(JsonNode stats) {
        JsonNode rating = stats.path("rating");
        return rating.isNumber() ? String.format(Locale.ROOT, "%.1f (%d)", rating.asDouble(),
                stats.path("reviews").asInt()) : "-";
    }

    private static void printItem(Printer printer, JsonNode item) {
        var pairs = Printer.pairs();
        pairs.add(new String[] {"id", text(item, "id")});
        pairs.add(new String[] {"name", text(item, "name")});
        pairs.add(new String[] {"summary", text(item, "summary")});
        pairs.add(new String[] {"publisher", text(item, "publisher")});
        pairs.add(new String[] {"license", text(item, "license")});
        pairs.add(new String[] {"categories", printer.compact(item.path("categories"))});
        pairs.add(new String[] {"tags", printer.compact(item.path("tags"))});
        pairs.add(new String[] {"latest version", text(item, "latestVersion")});
        pairs.add(new String[] {"rating", rating(item.path("stats"))});
        pairs.add(new String[] {"installs", item.path("stats").path("installs").asText("")});
        printer.fields(pairs);
        JsonNode versions = item.path("versions");
        if (versions.isArray() && !versions.isEmpty()) {
            Table table = new Table("VERSION", "WORKFLOW VERSION", "PUBLISHED", "YANKED");
            for (JsonNode version : versions) {
                table.row(text(version, "version"), version.path("workflowVersion").asText(""),
                        text(version, "publishedAt"), version.path("yanked").asBoolean() ? "yes" : "");
            }
            printer.table(table);
        }
    }
}
