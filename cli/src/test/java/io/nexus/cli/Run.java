package io.nexus.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** One run of the CLI in-process, with its own environment, streams and configuration directory. */
final class Run {

    final int exitCode;
    final String out;
    final String err;

    private Run(int exitCode, String out, String err) {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
    }

    static Run of(Path configDirectory, Map<String, String> variables, boolean terminal, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Environment environment = new Environment(new HashMap<>(variables), new PrintWriter(out, true),
                new PrintWriter(err, true), new ByteArrayInputStream(new byte[0]), terminal, configDirectory);
        int exitCode = NexusCli.run(environment, args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
