package io.nexus.cli.output;

import java.util.Map;

/**
 * ANSI colour, only where a person reads it: stdout is a terminal, NO_COLOR (https://no-color.org) is not set to
 * anything, and TERM is not "dumb". Otherwise every method returns its text unchanged.
 */
public final class Style {

    private static final String RESET = "\u001b[0m";

    private final boolean colour;

    public Style(boolean colour) {
        this.colour = colour;
    }

    public static Style forTerminal(boolean stdoutIsTerminal, Map<String, String> variables) {
        String noColor = variables.get("NO_COLOR");
        boolean disabled = noColor != null && !noColor.isEmpty();
        boolean dumb = "dumb".equals(variables.get("TERM"));
        return new Style(stdoutIsTerminal && !disabled && !dumb);
    }

    public boolean colour() {
        return colour;
    }

    public String bold(String text) {
        return paint("1", text);
    }

    public String dim(String text) {
        return paint("2", text);
    }

    public String red(String text) {
        return paint("31", text);
    }

    /** A status coloured by what it means: green for done, red for failed, yellow for in between. */
    public String status(String text) {
        return switch (text) {
            case "completed", "up", "active", "accepted" -> paint("32", text);
            case "failed", "down", "cancelled", "suspended", "closed", "expired" -> paint("31", text);
            case "running", "waiting", "pending", "degraded" -> paint("33", text);
            default -> text;
        };
    }

    private String paint(String code, String text) {
        return colour && !text.isEmpty() ? "\u001b[" + code + "m" + text + RESET : text;
    }
}
