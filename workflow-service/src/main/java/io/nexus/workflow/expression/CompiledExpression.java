package io.nexus.workflow.expression;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cel.common.CelErrorCode;
import dev.cel.common.types.CelKind;
import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;

/**
 * A checked, ready-to-run expression. Immutable and safe to evaluate from many threads at once: each evaluation
 * gets its own {@link EvaluationBudget} and variable bindings.
 */
public final class CompiledExpression {

    private final String source;
    private final CelRuntime.Program program;
    private final CostModel costModel;
    private final ExpressionLimits limits;
    private final CelKind resultKind;
    private final String resultType;
    private final Set<String> referencedNodes;
    private final boolean readsSession;
    private final Set<String> referencedSecrets;
    private final boolean constant;

    CompiledExpression(String source, CelRuntime.Program program, CostModel costModel, ExpressionLimits limits,
            CelKind resultKind, String resultType, Set<String> referencedNodes, boolean readsSession,
            Set<String> referencedSecrets, boolean constant) {
        this.source = source;
        this.program = program;
        this.costModel = costModel;
        this.limits = limits;
        this.resultKind = resultKind;
        this.resultType = resultType;
        this.referencedNodes = Set.copyOf(referencedNodes);
        this.readsSession = readsSession;
        this.referencedSecrets = Set.copyOf(referencedSecrets);
        this.constant = constant;
    }

    public String source() {
        return source;
    }

    /** The result type the checker inferred, in CEL's notation: {@code bool}, {@code map(string, int)}, {@code dyn}. */
    public String resultType() {
        return resultType;
    }

    /** Whether the checker allows a result of this kind: it inferred that kind, or {@code dyn} (known at run time). */
    public boolean mayYield(CelKind kind) {
        return resultKind == kind || resultKind == CelKind.DYN || resultKind == CelKind.ANY;
    }

    /** Node ids read as {@code nodes.<id>} or {@code nodes["<id>"]}, including inside {@code has()}. */
    public Set<String> referencedNodes() {
        return referencedNodes;
    }

    /**
     * Whether the expression reads the {@code session} variable: the engine fetches the session's data only for
     * expressions that do (docs/api.md §5.4).
     */
    public boolean readsSession() {
        return readsSession;
    }

    /** Names read as {@code secrets.NAME}: the secrets to open before evaluating (empty outside http nodes). */
    public Set<String> referencedSecrets() {
        return referencedSecrets;
    }

    /** Whether the expression reads no variable at all: its value is written in the definition. */
    public boolean constant() {
        return constant;
    }

    public JsonNode evaluate(EvaluationContext context) throws ExpressionFailure {
        return CelAsJson.convert(run(context), limits.maxValueBytes());
    }

    public boolean evaluateBoolean(EvaluationContext context) throws ExpressionFailure {
        Object result = run(context);
        if (result instanceof Boolean bool) {
            return bool;
        }
        throw ExpressionFailure.expression("expected a bool, got " + CelValueText.describe(result));
    }

    public String evaluateString(EvaluationContext context) throws ExpressionFailure {
        Object result = run(context);
        if (!(result instanceof String text)) {
            throw ExpressionFailure.expression("expected a string, got " + CelValueText.describe(result));
        }
        long bytes = CelAsJson.jsonTextBytes(text) + 2;
        if (bytes > limits.maxValueBytes()) {
            throw ExpressionFailure.limit(String.format(Locale.ROOT,
                    "the result is larger than %,d bytes serialized", limits.maxValueBytes()));
        }
        return text;
    }

    private Object run(EvaluationContext context) throws ExpressionFailure {
        EvaluationBudget budget = new EvaluationBudget(costModel, limits);
        try {
            return program.trace(variables(context), budget);
        } catch (CelEvaluationException e) {
            throw failure(e);
        } catch (EvaluationBudget.Exceeded e) {
            throw ExpressionFailure.limit(e.getMessage());
        } catch (StackOverflowError e) {
            throw ExpressionFailure.limit("the expression nests too deeply to evaluate");
        } catch (RuntimeException e) {
            // cel-java reports some type errors as plain runtime exceptions; they are still the expression's fault.
            throw ExpressionFailure.expression(CelMessages.evaluationProblem(e.getMessage(), source));
        }
    }

    private ExpressionFailure failure(CelEvaluationException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof EvaluationBudget.Exceeded exceeded) {
                return ExpressionFailure.limit(exceeded.getMessage());
            }
        }
        if (e.getErrorCode() == CelErrorCode.ITERATION_BUDGET_EXCEEDED) {
            return ExpressionFailure.limit(String.format(Locale.ROOT,
                    "the evaluation took more than %,d comprehension iterations", limits.maxComprehensionIterations()));
        }
        return ExpressionFailure.expression(CelMessages.evaluationProblem(e.getMessage(), source));
    }

    /** Binds only what the expression asks for, converting lazily (see {@link JsonAsCel}). */
    private static CelVariableResolver variables(EvaluationContext context) {
        return name -> {
            switch (name) {
                case ExpressionEngine.INPUTS:
                    return Optional.of(context.inputs() == null ? Map.of() : JsonAsCel.value(context.inputs()));
                case ExpressionEngine.NODES:
                    return Optional.of(JsonAsCel.map(context.nodes()));
                case ExpressionEngine.SESSION:
                    return Optional.of(context.session() == null ? NullValue.NULL_VALUE
                            : JsonAsCel.value(context.session()));
                case ExpressionEngine.SECRETS:
                    return Optional.of(context.secrets());
                default:
                    return Optional.empty();
            }
        };
    }

    @Override
    public String toString() {
        return source;
    }
}
