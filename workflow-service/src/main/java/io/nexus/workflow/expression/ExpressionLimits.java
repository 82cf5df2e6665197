package io.nexus.workflow.expression;

/**
 * The cost bound of docs/api.md §5. Compile-time limits keep stored definitions small; evaluation limits keep one
 * expression from holding a worker thread or the heap, whatever a tenant writes.
 *
 * @param maxCodePoints              longest expression source
 * @param maxAstNodes                largest checked syntax tree (macros expanded: it is the tree that runs)
 * @param maxComprehensionIterations iterations of {@code map}, {@code filter}, {@code exists}... per evaluation
 * @param maxEvaluationSteps         evaluated sub-expressions per evaluation, plus the size of the lists, maps and
 *                                   strings that operators scan (see {@code EvaluationBudget})
 * @param maxValueBytes              largest result, serialized as JSON; also the largest string an evaluation may
 *                                   build
 */
public record ExpressionLimits(int maxCodePoints, int maxAstNodes, int maxComprehensionIterations,
        int maxEvaluationSteps, int maxValueBytes) {

    public static final ExpressionLimits DEFAULTS = new ExpressionLimits(2000, 500, 10_000, 20_000, 256 * 1024);

    public ExpressionLimits {
        requirePositive("maxCodePoints", maxCodePoints);
        requirePositive("maxAstNodes", maxAstNodes);
        requirePositive("maxComprehensionIterations", maxComprehensionIterations);
        requirePositive("maxEvaluationSteps", maxEvaluationSteps);
        requirePositive("maxValueBytes", maxValueBytes);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
