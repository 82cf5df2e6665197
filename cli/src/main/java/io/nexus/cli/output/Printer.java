package io.nexus.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Where every command's result goes. With --output json or yaml a command emits exactly one document and nothing
 * else; with the default it prints tables and lines for people, and only then is colour used.
 */
public final class Printer {

    private final PrintWriter out;
    private final OutputFormat format;
    private final ObjectMapper json;
    private final Style style;

    public Printer(PrintWriter out, OutputFormat format, ObjectMapper json, Style style) {
        this.out = out;
        this.format = format;
        this.json = json;
        this.style = style;
    }

    public boolean forPeople() {
        return format == OutputFormat.TABLE;
    }

    public Style style() {
        return style;
    }

    /** The document for scripts, or the human view of it. */
    public void emit(JsonNode document, Runnable humanView) {
        switch (format) {
            case JSON -> write(json.writerWithDefaultPrettyPrinter(), document);
            case YAML -> write(yaml(), document);
            case TABLE -> humanView.run();
        }
        out.flush();
    }

    public void table(Table table) {
        table.render(style).forEach(out::println);
    }

    /** Label: value lines, labels aligned. */
    public void fields(List<String[]> pairs) {
        int width = pairs.stream().mapToInt(pair -> pair[0].length()).max().orElse(0);
        for (String[] pair : pairs) {
            out.println(style.bold(pair[0]) + ":" + " ".repeat(width - pair[0].length() + 1) + pair[1]);
        }
    }

    public void line(String text) {
        out.println(text);
    }

    public PrintWriter writer() {
        return out;
    }

    /** A compact single line of JSON, for values inside a table or a field list. */
    public String compact(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "";
        }
        if (value.isTextual()) {
            return value.asText();
        }
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return value.toString();
        }
    }

    public static List<String[]> pairs() {
        return new ArrayList<>();
    }

    private void write(ObjectWriter writer, JsonNode document) {
        try {
            String text = writer.writeValueAsString(document);
            // YAML ends with a newline of its own, JSON does not: end both with exactly one.
            out.println(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // Built only when asked for: YAML's classes are not loaded for the commands that do not need them.
    private ObjectWriter yaml() {
        YAMLFactory factory = YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .build();
        return new ObjectMapper(factory).writer();
    }
}
