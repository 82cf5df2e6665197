package io.nexus.workflow.expression;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;

/**
 * Which sub-expressions an operator scans, computed once per compiled expression.
 *
 * <p>Counting evaluated sub-expressions alone under-prices operators whose work grows with their operands:
 * {@code x in biglist} is one step that compares every element, {@code s + s} one step that copies a string. CEL's
 * reference implementation prices these by operand size; {@link EvaluationBudget} does the same with the argument
 * expression ids listed here.
 */
final class CostModel {

    /** Operators whose cost does not depend on their operands' size. */
    private static final Set<String> CONSTANT_COST = Set.of(
            "_[_]", "_?_:_", "_&&_", "_||_", "!_", "@not_strictly_false", "not_strictly_false", "dyn", "type",
            "size");

    private static final int[] NONE = new int[0];

    private final int[][] scannedArgumentsById;
    private final boolean[] membershipTest;

    private CostModel(int[][] scannedArgumentsById, boolean[] membershipTest) {
        this.scannedArgumentsById = scannedArgumentsById;
        this.membershipTest = membershipTest;
    }

    static CostModel of(CelNavigableAst ast) {
        List<CelExpr> all = new ArrayList<>();
        ast.getRoot().allNodes().map(CelNavigableExpr::expr).forEach(all::add);
        int size = (int) all.stream().mapToLong(CelExpr::id).max().orElse(0) + 1;
        int[][] scanned = new int[size][];
        boolean[] membership = new boolean[size];
        for (CelExpr expr : all) {
            if (expr.getKind() != CelExpr.ExprKind.Kind.CALL || CONSTANT_COST.contains(expr.call().function())) {
                continue;
            }
            List<CelExpr> operands = new ArrayList<>(expr.call().args());
            expr.call().target().ifPresent(operands::add);
            scanned[(int) expr.id()] = operands.stream()
                    .filter(operand -> !isHiddenAccumulator(operand))
                    .mapToInt(operand -> (int) operand.id())
                    .toArray();
            membership[(int) expr.id()] = "@in".equals(expr.call().function());
        }
        return new CostModel(scanned, membership);
    }

    int exprIdBound() {
        return scannedArgumentsById.length;
    }

    /** Argument ids whose size the operator with this id pays for; empty for operators of constant cost. */
    int[] scannedArguments(long exprId) {
        int[] ids = exprId < scannedArgumentsById.length ? scannedArgumentsById[(int) exprId] : null;
        return ids == null ? NONE : ids;
    }

    /** {@code in} looks a key up in a map in constant time, and scans only lists. */
    boolean isMembershipTest(long exprId) {
        return exprId < membershipTest.length && membershipTest[(int) exprId];
    }

    /**
     * Macros append to a hidden accumulator ({@code @result}) with {@code +}; CEL appends to a view in constant
     * time, so charging the accumulator's size at every iteration would price a plain {@code map} quadratically.
     */
    private static boolean isHiddenAccumulator(CelExpr operand) {
        return operand.getKind() == CelExpr.ExprKind.Kind.IDENT && operand.ident().name().startsWith("@");
    }
}
