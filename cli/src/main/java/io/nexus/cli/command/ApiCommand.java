package io.nexus.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nexus.cli.CliException;
import io.nexus.cli.ExitCodes;
import io.nexus.cli.NexusCli;
import io.nexus.cli.http.NexusClient;
import io.nexus.cli.output.Printer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What the command groups share: the root's environment, output and API client, and JSON arguments. */
abstract class ApiCommand {

    @Spec
    CommandSpec spec;

    NexusCli root() {
        return (NexusCli) spec.root().userObject();
    }

    Printer printer() {
        return root().printer();
    }

    NexusClient client() {
        return root().client(null);
    }

    ObjectMapper json() {
        return root().json();
    }

    /** A JSON argument given inline, as @FILE, or as @- for stdin; a usage error (2) when it is not JSON. */
    JsonNode jsonArgument(String option, String value) {
        String text;
        if (value.startsWith("@")) {
            text = readSource(option, value.substring(1));
        } else {
            text = value;
        }
        try {
            JsonNode node = json().readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new CliException(ExitCodes.USAGE, option + ": empty, expected JSON");
            }
            return node;
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, option + ": not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    JsonNode jsonObjectArgument(String option, String value) {
        JsonNode node = jsonArgument(option, value);
        if (!node.isObject()) {
            throw new CliException(ExitCodes.USAGE, option + ": expected a JSON object");
        }
        return node;
    }

    private String readSource(String option, String source) {
        try {
            if (source.equals("-")) {
                return new String(root().environment().in().readAllBytes());
            }
            return Files.readString(Path.of(source));
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCodes.USAGE, option + ": no such file: " + source);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, option + ": cannot read " + source + ": " + e.getMessage());
        }
    }

    static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "" : value.asText();
    }
}
