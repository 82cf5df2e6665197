package io.nexus.workflow.expression;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.cel.common.ast.CelExpr;
import dev.cel.common.values.CelByteString;
import dev.cel.runtime.CelEvaluationListener;

/**
 * Counts the work of one evaluation and stops it past {@link ExpressionLimits#maxEvaluationSteps()}. cel-java has
 * no cost tracker; its iteration cap alone lets a hostile expression allocate gigabytes, so every evaluated
 * sub-expression reports here (through {@code Program.trace}) and the first one over budget throws.
 *
 * <p>A step is one evaluated sub-expression, plus, for operators that scan their operands ({@link CostModel}), one
 * per list element or map entry and one per {@value #CHARS_PER_STEP} characters or bytes of each operand. Strings
 * are also capped in size as they are built, since copying them is where memory goes.
 *
 * <p>One instance per evaluation: not thread-safe, and need not be.
 */
final class EvaluationBudget implements CelEvaluationListener {

    static final int CHARS_PER_STEP = 64;

    private final CostModel costModel;
    private final long maxSteps;
    private final int maxStringLength;
    /** The scan cost of the latest value of each sub-expression, by expression id. */
    private final long[] scanCost;
    private final boolean[] wasMap;
    private long steps;

    EvaluationBudget(CostModel costModel, ExpressionLimits limits) {
        this.costModel = costModel;
        this.maxSteps = limits.maxEvaluationSteps();
        this.maxStringLength = limits.maxValueBytes();
        this.scanCost = new long[costModel.exprIdBound()];
        this.wasMap = new boolean[costModel.exprIdBound()];
    }

    @Override
    public void callback(CelExpr expr, Object value) {
        long id = expr.id();
        steps += 1 + operandCost(id);
        if (steps > maxSteps) {
            throw new Exceeded(String.format(Locale.ROOT, "the evaluation took more than %,d steps", maxSteps));
        }
        checkBuiltSize(expr, value);
        if (id < scanCost.length) {
            scanCost[(int) id] = scanCostOf(value);
            wasMap[(int) id] = value instanceof Map;
        }
    }

    long steps() {
        return steps;
    }

    private long operandCost(long id) {
        int[] operands = costModel.scannedArguments(id);
        if (operands.length == 0) {
            return 0;
        }
        boolean membership = costModel.isMembershipTest(id);
        long cost = 0;
        for (int operand : operands) {
            if (operand < scanCost.length && !(membership && wasMap[operand])) {
                cost += scanCost[operand];
            }
        }
        return cost;
    }

    private void checkBuiltSize(CelExpr expr, Object value) {
        if (expr.getKind() != CelExpr.ExprKind.Kind.CALL) {
            return;
        }
        long length = value instanceof String text ? text.length()
                : value instanceof CelByteString bytes ? bytes.size() : 0;
        if (length > maxStringLength) {
            throw new Exceeded(String.format(Locale.ROOT,
                    "the evaluation built a string of %,d characters, the limit is %,d", length, maxStringLength));
        }
    }

    private static long scanCostOf(Object value) {
        if (value instanceof List<?> list) {
            return list.size();
        }
        if (value instanceof Map<?, ?> map) {
            return map.size();
        }
        if (value instanceof String text) {
            return text.length() / CHARS_PER_STEP;
        }
        if (value instanceof CelByteString bytes) {
            return bytes.size() / CHARS_PER_STEP;
        }
        return 0;
    }

    /** Thrown through CEL's interpreter, which wraps it; {@link CompiledExpression} unwraps it into a limit. */
    static final class Exceeded extends RuntimeException {
        Exceeded(String message) {
            super(message, null, false, false);
        }
    }
}
