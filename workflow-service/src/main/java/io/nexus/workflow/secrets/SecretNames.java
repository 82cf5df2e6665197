package io.nexus.workflow.secrets;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Secret names: read as {@code secrets.NAME} in CEL, so a CEL identifier (letters, digits and {@code _}, not starting
 * with a digit) that is not a CEL reserved word, at most 64 characters.
 */
public final class SecretNames {

    public static final Pattern PATTERN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    /** CEL's reserved words (cel-spec, "Syntax"): {@code secrets.in} does not parse. */
    private static final Set<String> RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const",
            "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return",
            "var", "void", "while");

    private SecretNames() {
    }

    /** Why {@code name} is not a secret name, or null when it is one. */
    public static String problem(String name) {
        if (name == null || !PATTERN.matcher(name).matches()) {
            return "must match " + PATTERN + " (it is read as secrets.NAME)";
        }
        if (RESERVED.contains(name)) {
            return "'" + name + "' is a CEL reserved word";
        }
        return null;
    }
}
