package io.nexus.workflow.expression;

/**
 * An evaluation that produced no usable value. {@link #code()} is the step error code of docs/api.md §5:
 * {@value #EXPRESSION} for what the expression got wrong (type error, missing key, division by zero, a result of the
 * wrong type), {@value #LIMIT} when it exceeded the cost bound.
 */
public final class ExpressionFailure extends Exception {

    public static final String EXPRESSION = "expression";
    public static final String LIMIT = "limit";

    private final String code;

    private ExpressionFailure(String code, String message) {
        // No stack trace: failures are ordinary outcomes of tenant-written expressions, not bugs.
        super(message, null, false, false);
        this.code = code;
    }

    public static ExpressionFailure expression(String message) {
        return new ExpressionFailure(EXPRESSION, message);
    }

    public static ExpressionFailure limit(String message) {
        return new ExpressionFailure(LIMIT, message);
    }

    public String code() {
        return code;
    }
}
