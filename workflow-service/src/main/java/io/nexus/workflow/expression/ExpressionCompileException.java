package io.nexus.workflow.expression;

/** An expression that cannot become a program; the message quotes the problem for a client to fix. */
public final class ExpressionCompileException extends Exception {

    public ExpressionCompileException(String message) {
        super(message, null, false, false);
    }
}
