package io.nexus.workflow.expression;

import java.util.Set;
import java.util.TreeSet;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;

/**
 * The secrets an expression reads. {@code secrets} may appear only as {@code secrets.NAME} or {@code secrets['NAME']}:
 * a computed name, the map itself ({@code string(secrets)}, {@code secrets.size()}) or a macro variable of that name
 * is a compile error, so the engine knows every secret an expression can reach before it runs it.
 */
final class SecretReferences {

    private SecretReferences() {
    }

    static Set<String> of(CelExpr root) throws ExpressionCompileException {
        Set<String> names = new TreeSet<>();
        collect(root, names);
        return names;
    }

    private static void collect(CelExpr expr, Set<String> names) throws ExpressionCompileException {
        switch (expr.getKind()) {
            case IDENT -> {
                if (isSecrets(expr)) {
                    throw misuse();
                }
            }
            case SELECT -> {
                if (isSecrets(expr.select().operand())) {
                    names.add(expr.select().field());
                } else {
                    collect(expr.select().operand(), names);
                }
            }
            case CALL -> {
                var call = expr.call();
                if ("_[_]".equals(call.function()) && call.args().size() == 2 && isSecrets(call.args().get(0))) {
                    CelExpr key = call.args().get(1);
                    if (key.getKind() != CelExpr.ExprKind.Kind.CONSTANT
                            || key.constant().getKind() != CelConstant.Kind.STRING_VALUE) {
                        throw misuse();
                    }
                    names.add(key.constant().stringValue());
                    return;
                }
                if (call.target().isPresent()) {
                    collect(call.target().get(), names);
                }
                for (CelExpr arg : call.args()) {
                    collect(arg, names);
                }
            }
            case LIST -> {
                for (CelExpr element : expr.list().elements()) {
                    collect(element, names);
                }
            }
            case MAP -> {
                for (var entry : expr.map().entries()) {
                    collect(entry.key(), names);
                    collect(entry.value(), names);
                }
            }
            case STRUCT -> {
                for (var entry : expr.struct().entries()) {
                    collect(entry.value(), names);
                }
            }
            case COMPREHENSION -> {
                var loop = expr.comprehension();
                if (ExpressionEngine.SECRETS.equals(loop.iterVar()) || ExpressionEngine.SECRETS.equals(loop.iterVar2())
                        || ExpressionEngine.SECRETS.equals(loop.accuVar())) {
                    throw new ExpressionCompileException("'secrets' cannot name a macro variable");
                }
                collect(loop.iterRange(), names);
                collect(loop.accuInit(), names);
                collect(loop.loopCondition(), names);
                collect(loop.loopStep(), names);
                collect(loop.result(), names);
            }
            default -> {
                // CONSTANT, NOT_SET: nothing below.
            }
        }
    }

    private static boolean isSecrets(CelExpr expr) {
        return expr.getKind() == CelExpr.ExprKind.Kind.IDENT
                && (ExpressionEngine.SECRETS.equals(expr.ident().name())
                        || ("." + ExpressionEngine.SECRETS).equals(expr.ident().name()));
    }

    private static ExpressionCompileException misuse() {
        return new ExpressionCompileException("secrets can only be read by a constant name: secrets.NAME");
    }
}
