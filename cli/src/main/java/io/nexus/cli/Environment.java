package io.nexus.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the CLI reads from the world around it: environment variables, streams, whether stdout is a terminal, where
 * its configuration lives. Tests build their own, so nothing here needs a real terminal or home directory.
 */
public record Environment(Map<String, String> variables, PrintWriter out, PrintWriter err, InputStream in,
                          boolean stdoutIsTerminal, Path configDirectory) {

    public static Environment system() {
        Map<String, String> variables = System.getenv();
        return new Environment(variables,
                new PrintWriter(new PrintStream(System.out, false, StandardCharsets.UTF_8), true),
                new PrintWriter(new PrintStream(System.err, false, StandardCharsets.UTF_8), true),
                System.in,
                System.console() != null,
                defaultConfigDirectory(variables));
    }

    static Path defaultConfigDirectory(Map<String, String> variables) {
        String xdg = variables.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "nexus");
        }
        // $HOME, like the shell's ~, so that HOME=... redirects it; the JVM's user.home comes from the password file.
        String home = variables.get("HOME");
        if (home == null || home.isBlank()) {
            home = System.getProperty("user.home");
        }
        return Path.of(home, ".config", "nexus");
    }

    public String variable(String name) {
        String value = variables.get(name);
        return value == null || value.isEmpty() ? null : value;
    }
}
