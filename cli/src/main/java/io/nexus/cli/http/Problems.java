package io.nexus.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.nexus.cli.CliException;
import io.nexus.cli.ExitCodes;
import java.util.ArrayList;
import java.util.List;

/** Turns an error answer, an RFC 9457 problem (docs/api.md §3) or anything else, into a {@link CliException}. */
public final class Problems {

    private static final String TYPE_PREFIX = "urn:nexus:problem:";

    private Problems() {
    }

    public static CliException fromAnswer(int status, JsonNode problem) {
        int exitCode = ExitCodes.forHttpStatus(status);
        if (problem == null || !problem.isObject()) {
            return new CliException(exitCode, "the API answered " + status);
        }
        String kind = problem.path("type").asText("");
        if (kind.startsWith(TYPE_PREFIX)) {
            kind = kind.substring(TYPE_PREFIX.length());
        }
        String title = problem.path("title").asText("");
        String detail = problem.path("detail").asText("");
        StringBuilder message = new StringBuilder().append(status);
        if (!kind.isEmpty()) {
            message.append(' ').append(kind);
        } else if (!title.isEmpty()) {
            message.append(' ').append(title);
        }
        if (!detail.isEmpty()) {
            message.append(": ").append(detail);
        }
        List<String> fieldErrors = new ArrayList<>();
        for (JsonNode error : problem.path("errors")) {
            String field = error.path("field").asText("");
            fieldErrors.add((field.isEmpty() ? "(body)" : field) + ": " + error.path("message").asText(""));
        }
        return new CliException(exitCode, message.toString(), fieldErrors);
    }
}
