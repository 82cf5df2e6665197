package io.nexus.cli;

import java.util.List;

/** A failure the CLI reports as lines on stderr and an exit code, never as a stack trace. */
public class CliException extends RuntimeException {

    private final int exitCode;
    private final List<String> details;

    public CliException(int exitCode, String message) {
        this(exitCode, message, List.of());
    }

    public CliException(int exitCode, String message, List<String> details) {
        super(message);
        this.exitCode = exitCode;
        this.details = List.copyOf(details);
    }

    public int exitCode() {
        return exitCode;
    }

    /** Further lines under the message, such as every field error of a problem. */
    public List<String> details() {
        return details;
    }
}
