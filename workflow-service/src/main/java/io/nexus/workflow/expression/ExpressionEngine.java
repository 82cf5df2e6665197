package io.nexus.workflow.expression;

import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelBuilder;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.types.CelTypes;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;

/**
 * Compiles workflow expressions (docs/api.md §5): CEL with the standard macros over {@code inputs}, {@code nodes} and
 * {@code session}, within {@link ExpressionLimits}. Thread-safe; compile once, evaluate the result many times.
 */
public final class ExpressionEngine {

    static final String INPUTS = "inputs";
    static final String NODES = "nodes";
    static final String SESSION = "session";
    /** Tenant secrets by name: declared only for http nodes' url, headers and body ({@link #compileWithSecrets}). */
    static final String SECRETS = "secrets";

    /**
     * The parser and checker recurse per nesting level; a chain like {@code a + b + c + ...} nests one level per
     * operand, so this stays well above what 2,000 code points of real expression need.
     */
    private static final int MAX_NESTING = 250;
    /** RE2 program size for {@code matches()}; RE2 runs in linear time, this bounds the per-character factor. */
    private static final int MAX_REGEX_PROGRAM_SIZE = 2_000;

    private final ExpressionLimits limits;
    private final Cel cel;
    private final Cel celWithSecrets;

    public ExpressionEngine(ExpressionLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        CelOptions options = CelOptions.current()
                .maxExpressionCodePointSize(limits.maxCodePoints())
                .maxParseRecursionDepth(MAX_NESTING)
                .comprehensionMaxIterations(limits.maxComprehensionIterations())
                .maxRegexProgramSize(MAX_REGEX_PROGRAM_SIZE)
                .build();
        this.cel = builder(options).build();
        this.celWithSecrets = builder(options)
                .addVar(SECRETS, MapType.create(SimpleType.STRING, SimpleType.STRING))
                .build();
    }

    private static CelBuilder builder(CelOptions options) {
        return CelFactory.standardCelBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addVar(INPUTS, MapType.create(SimpleType.STRING, SimpleType.DYN))
                .addVar(NODES, MapType.create(SimpleType.STRING, SimpleType.DYN))
                // dyn, not a map: it is null when the execution has no session.
                .addVar(SESSION, SimpleType.DYN);
    }

    public ExpressionLimits limits() {
        return limits;
    }

    public CompiledExpression compile(String source) throws ExpressionCompileException {
        return compile(source, cel);
    }

    /**
     * Like {@link #compile}, with the variable {@code secrets} declared: the tenant's secrets, which may be read only
     * by a constant name ({@code secrets.NAME} or {@code secrets['NAME']}), so that the engine knows which ones to
     * open before it evaluates and the whole map can never be turned into a value.
     */
    public CompiledExpression compileWithSecrets(String source) throws ExpressionCompileException {
        return compile(source, celWithSecrets);
    }

    private CompiledExpression compile(String source, Cel cel) throws ExpressionCompileException {
        if (source == null || source.isBlank()) {
            throw new ExpressionCompileException("the expression is empty");
        }
        int codePoints = source.codePointCount(0, source.length());
        if (codePoints > limits.maxCodePoints()) {
            throw new ExpressionCompileException(String.format(Locale.ROOT,
                    "expression is %,d code points, the limit is %,d", codePoints, limits.maxCodePoints()));
        }
        CelAbstractSyntaxTree ast = check(source, cel);
        CelNavigableAst navigable = CelNavigableAst.fromAst(ast);
        long astNodes = navigable.getRoot().allNodes().count();
        if (astNodes > limits.maxAstNodes()) {
            throw new ExpressionCompileException(String.format(Locale.ROOT,
                    "expression has %,d syntax tree nodes (macros expanded), the limit is %,d", astNodes,
                    limits.maxAstNodes()));
        }
        CelRuntime.Program program;
        try {
            program = cel.createProgram(ast);
        } catch (CelEvaluationException e) {
            throw new ExpressionCompileException(CelMessages.evaluationProblem(e.getMessage(), source));
        }
        return new CompiledExpression(source, program, CostModel.of(navigable), limits,
                ast.getResultType().kind(), CelTypes.format(ast.getResultType()), referencedNodes(ast.getExpr()),
                readsVariable(ast.getExpr(), SESSION),
                cel == celWithSecrets ? SecretReferences.of(ast.getExpr()) : Set.of(),
                Stream.of(INPUTS, NODES, SESSION, SECRETS).noneMatch(name -> readsVariable(ast.getExpr(), name)));
    }

    private static CelAbstractSyntaxTree check(String source, Cel cel) throws ExpressionCompileException {
        try {
            return cel.compile(source).getAst();
        } catch (CelValidationException e) {
            throw new ExpressionCompileException(CelMessages.compileProblems(e));
        } catch (RuntimeException | StackOverflowError e) {
            // The parser's own limits throw before this; anything else is still a bad expression, not a 500.
            throw new ExpressionCompileException("cannot be parsed: " + e.getClass().getSimpleName());
        }
    }

    private static Set<String> referencedNodes(CelExpr root) {
        Set<String> ids = new HashSet<>();
        collectNodeReferences(root, false, ids);
        return ids;
    }

    /** {@code shadowed}: inside a macro whose own variable is named {@code nodes}. */
    private static void collectNodeReferences(CelExpr expr, boolean shadowed, Set<String> ids) {
        switch (expr.getKind()) {
            case SELECT -> {
                if (!shadowed && isNodesVariable(expr.select().operand())) {
                    ids.add(expr.select().field());
                }
                collectNodeReferences(expr.select().operand(), shadowed, ids);
            }
            case CALL -> {
                var call = expr.call();
                if (!shadowed && "_[_]".equals(call.function()) && call.args().size() == 2
                        && isNodesVariable(call.args().get(0))
                        && call.args().get(1).getKind() == CelExpr.ExprKind.Kind.CONSTANT
                        && call.args().get(1).constant().getKind() == CelConstant.Kind.STRING_VALUE) {
                    ids.add(call.args().get(1).constant().stringValue());
                }
                call.target().ifPresent(target -> collectNodeReferences(target, shadowed, ids));
                call.args().forEach(arg -> collectNodeReferences(arg, shadowed, ids));
            }
            case LIST -> expr.list().elements().forEach(element -> collectNodeReferences(element, shadowed, ids));
            case MAP -> expr.map().entries().forEach(entry -> {
                collectNodeReferences(entry.key(), shadowed, ids);
                collectNodeReferences(entry.value(), shadowed, ids);
            });
            case STRUCT -> expr.struct().entries()
                    .forEach(entry -> collectNodeReferences(entry.value(), shadowed, ids));
            case COMPREHENSION -> {
                var loop = expr.comprehension();
                boolean inner = shadowed || NODES.equals(loop.iterVar()) || NODES.equals(loop.iterVar2())
                        || NODES.equals(loop.accuVar());
                collectNodeReferences(loop.iterRange(), shadowed, ids);
                collectNodeReferences(loop.accuInit(), shadowed, ids);
                collectNodeReferences(loop.loopCondition(), inner, ids);
                collectNodeReferences(loop.loopStep(), inner, ids);
                collectNodeReferences(loop.result(), inner, ids);
            }
            default -> {
                // CONSTANT, IDENT, NOT_SET: nothing below.
            }
        }
    }

    /**
     * Whether the expression reads the top-level variable {@code name} anywhere (inside {@code has()} too), not
     * counting a macro's own variable of that name ({@code [1].map(session, session + 1)} reads none).
     */
    private static boolean readsVariable(CelExpr expr, String name) {
        return switch (expr.getKind()) {
            case IDENT -> name.equals(expr.ident().name()) || ("." + name).equals(expr.ident().name());
            case SELECT -> readsVariable(expr.select().operand(), name);
            case CALL -> expr.call().target().map(target -> readsVariable(target, name)).orElse(false)
                    || expr.call().args().stream().anyMatch(arg -> readsVariable(arg, name));
            case LIST -> expr.list().elements().stream().anyMatch(element -> readsVariable(element, name));
            case MAP -> expr.map().entries().stream()
                    .anyMatch(entry -> readsVariable(entry.key(), name) || readsVariable(entry.value(), name));
            case STRUCT -> expr.struct().entries().stream().anyMatch(entry -> readsVariable(entry.value(), name));
            case COMPREHENSION -> {
                var loop = expr.comprehension();
                boolean shadowed = name.equals(loop.iterVar()) || name.equals(loop.iterVar2())
                        || name.equals(loop.accuVar());
                yield readsVariable(loop.iterRange(), name) || readsVariable(loop.accuInit(), name)
                        || (!shadowed && (readsVariable(loop.loopCondition(), name)
                                || readsVariable(loop.loopStep(), name) || readsVariable(loop.result(), name)));
            }
            default -> false;
        };
    }

    private static boolean isNodesVariable(CelExpr expr) {
        return expr.getKind() == CelExpr.ExprKind.Kind.IDENT && NODES.equals(expr.ident().name());
    }
}
