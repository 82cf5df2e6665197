package io.nexus.workflow.definition;

import java.util.regex.Pattern;

/**
 * Builds the {@code errors[].field} paths of docs/api.md §3: dotted names with indexes ({@code nodes[1].config.url}).
 * A name that would make the path ambiguous (a dot, a bracket, a space...) is written in brackets and quotes
 * ({@code headers['a.b']}).
 */
final class FieldPaths {

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_$-]+");

    private FieldPaths() {
    }

    static String child(String parent, String name) {
        if (!PLAIN_NAME.matcher(name).matches()) {
            return parent + "['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']";
        }
        return parent.isEmpty() ? name : parent + "." + name;
    }

    static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
