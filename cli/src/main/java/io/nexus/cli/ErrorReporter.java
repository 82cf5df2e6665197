package io.nexus.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Prints a failure as "error: ..." lines on stderr and returns its exit code. Anything that is not a
 * {@link CliException} is a bug, reported with its class so that it can be found, still without a stack trace.
 */
final class ErrorReporter implements IExecutionExceptionHandler {

    private final Environment environment;

    ErrorReporter(Environment environment) {
        this.environment = environment;
    }

    @Override
    public int handleExecutionException(Exception exception, CommandLine commandLine, ParseResult parseResult) {
        if (exception instanceof CliException failure) {
            environment.err().println("error: " + failure.getMessage());
            failure.details().forEach(detail -> environment.err().println("  " + detail));
            environment.err().flush();
            return failure.exitCode();
        }
        if (exception instanceof CommandLine.ParameterException parameterException) {
            throw parameterException;
        }
        environment.err().println("error: unexpected " + exception.getClass().getSimpleName() + ": "
                + exception.getMessage());
        environment.err().flush();
        return ExitCodes.SERVER_OR_NETWORK;
    }
}
