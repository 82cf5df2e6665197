package io.nexus.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nexus.cli.CliException;
import io.nexus.cli.ExitCodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * config.json under the configuration directory. The file holds an API key, so it is written owner-only (600) from
 * the start: it is created with those permissions and then moved into place, never chmod-ed after the fact.
 */
public final class ConfigStore {

    public static final String FILE_NAME = "config.json";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private final Path directory;
    private final ObjectMapper json;

    public ConfigStore(Path directory, ObjectMapper json) {
        this.directory = directory;
        this.json = json;
    }

    public Path file() {
        return directory.resolve(FILE_NAME);
    }

    /** The stored configuration with NEXUS_URL and NEXUS_API_KEY, when set, taking precedence. */
    public CliConfig effective(Map<String, String> variables) {
        CliConfig stored = read();
        String url = nonEmpty(variables.get("NEXUS_URL"), stored.url());
        String key = nonEmpty(variables.get("NEXUS_API_KEY"), stored.apiKey());
        return new CliConfig(url, key);
    }

    public CliConfig read() {
        Path file = file();
        if (!Files.exists(file)) {
            return new CliConfig(null, null);
        }
        try {
            JsonNode node = json.readTree(file.toFile());
            return new CliConfig(text(node, "url"), text(node, "apiKey"));
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage());
        }
    }

    public void write(CliConfig config) {
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            }
            ObjectNode node = json.createObjectNode();
            node.put("url", config.url());
            node.put("apiKey", config.apiKey());
            Path temporary = Files.createTempFile(directory, "config", ".tmp",
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.write(temporary, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
            Files.move(temporary, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            // A file that existed before with wider permissions is replaced, but be explicit about the result.
            Files.setPosixFilePermissions(file(), OWNER_ONLY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String nonEmpty(String preferred, String fallback) {
        return preferred != null && !preferred.isEmpty() ? preferred : fallback;
    }
}
