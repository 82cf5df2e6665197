package io.nexus.workflow.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cel.common.types.CelKind;

class ExpressionEngineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ExpressionEngine ENGINE = new ExpressionEngine(ExpressionLimits.DEFAULTS);

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static CompiledExpression compile(String source) {
        try {
            return ENGINE.compile(source);
        } catch (ExpressionCompileException e) {
            throw new AssertionError("'" + source + "' does not compile: " + e.getMessage(), e);
        }
    }

    static EvaluationContext inputs(String inputs) {
        return EvaluationContext.ofInputs(json(inputs));
    }

    static EvaluationContext nodes(String nodesObject) {
        Map<String, JsonNode> nodes = JSON.convertValue(json(nodesObject),
                JSON.getTypeFactory().constructMapType(Map.class, String.class, JsonNode.class));
        return new EvaluationContext(json("{}"), nodes, null);
    }

    private static ExpressionFailure failure(String source, EvaluationContext context) {
        return assertThrows(ExpressionFailure.class, () -> compile(source).evaluate(context));
    }

    @Test
    void evaluatesTheContractTransformExample() throws Exception {
        assertEquals(json("{\"y\": 42}"), compile("{\"y\": inputs.x * 2}").evaluate(inputs("{\"x\": 21}")));
    }

    @Test
    void evaluatesTheContractComparisonExample() throws Exception {
        CompiledExpression bigEnough = compile("nodes.double.y > 10");
        assertTrue(bigEnough.evaluateBoolean(nodes("{\"double\": {\"y\": 12}}")));
        assertFalse(bigEnough.evaluateBoolean(nodes("{\"double\": {\"y\": 3}}")));
    }

    @Test
    void hasTellsWhichBranchRan() throws Exception {
        CompiledExpression merge = compile("has(nodes.big) ? nodes.big : nodes.small");
        assertEquals(json("{\"v\": \"small\"}"), merge.evaluate(nodes("{\"small\": {\"v\": \"small\"}}")));
        assertEquals(json("{\"v\": \"big\"}"), merge.evaluate(nodes("{\"big\": {\"v\": \"big\"}}")));
    }

    @Test
    void conditionEdgesReadTheConditionNodesBoolean() throws Exception {
        EvaluationContext checked = nodes("{\"check\": true}");
        assertTrue(compile("nodes.check").evaluateBoolean(checked));
        assertFalse(compile("!nodes.check").evaluateBoolean(checked));
    }

    @Test
    void integralJsonNumbersAreIntsAndOthersDoubles() throws Exception {
        EvaluationContext numbers = inputs(
                "{\"i\": 3, \"d\": 2.5, \"e\": 1e3, \"whole\": 2.0, \"huge\": 12345678901234567890, \"neg\": -7}");
        assertTrue(compile("type(inputs.i) == int && type(inputs.neg) == int").evaluateBoolean(numbers));
        assertTrue(compile("type(inputs.d) == double && type(inputs.e) == double").evaluateBoolean(numbers));
        assertTrue(compile("type(inputs.whole) == double && type(inputs.huge) == double").evaluateBoolean(numbers));
        assertEquals(json("1"), compile("inputs.i / 2").evaluate(numbers));
        assertEquals(json("7.5"), compile("double(inputs.i) * inputs.d").evaluate(numbers));
        assertEquals(json("2"), compile("int(inputs.d)").evaluate(numbers));
    }

    @Test
    void mixedArithmeticFailsWithAHintAndCodeExpression() {
        ExpressionFailure failure = failure("inputs.i * inputs.d", inputs("{\"i\": 3, \"d\": 2.5}"));
        assertEquals("expression", failure.code());
        assertEquals("no matching overload for '*' with these operand types (int and double do not mix: "
                + "convert with double() or int()) at column 10", failure.getMessage());
    }

    @Test
    void literalMixedArithmeticDoesNotCompile() {
        ExpressionCompileException e = assertThrows(ExpressionCompileException.class, () -> ENGINE.compile("1 + 2.0"));
        assertTrue(e.getMessage().startsWith("found no matching overload for '+' applied to '(int, double)'"),
                e.getMessage());
    }

    @Test
    void runtimeTypeErrorsFailWithCodeExpression() {
        EvaluationContext context = inputs("{\"s\": \"text\", \"zero\": 0}");
        ExpressionFailure typeError = failure("inputs.s * 2", context);
        assertEquals("expression", typeError.code());
        assertTrue(typeError.getMessage().startsWith("no matching overload for '*'"), typeError.getMessage());

        ExpressionFailure missingKey = failure("inputs.nope", context);
        assertEquals("expression", missingKey.code());
        assertEquals("key 'nope' is not present in map at column 7", missingKey.getMessage());

        ExpressionFailure divisionByZero = failure("10 / inputs.zero", context);
        assertEquals("expression", divisionByZero.code());
        assertEquals("/ by zero at column 4", divisionByZero.getMessage());

        ExpressionFailure overflow = failure("9223372036854775807 + inputs.zero + 1", context);
        assertEquals("expression", overflow.code());
    }

    @Test
    void wrongResultTypesFailWithCodeExpression() {
        ExpressionFailure notBool = assertThrows(ExpressionFailure.class,
                () -> compile("inputs.x").evaluateBoolean(inputs("{\"x\": 3}")));
        assertEquals("expression", notBool.code());
        assertEquals("expected a bool, got int 3", notBool.getMessage());

        ExpressionFailure notString = assertThrows(ExpressionFailure.class,
                () -> compile("inputs.x").evaluateString(inputs("{\"x\": [1, 2]}")));
        assertEquals("expression", notString.code());
        assertEquals("expected a string, got list of 2 elements", notString.getMessage());
    }

    @Test
    void evaluatesStrings() throws Exception {
        assertEquals("https://example.org/orders/42",
                compile("'https://example.org/orders/' + string(inputs.id)").evaluateString(inputs("{\"id\": 42}")));
    }

    @Test
    void standardMacrosAreEnabled() throws Exception {
        EvaluationContext items = inputs("{\"items\": [{\"n\": 1}, {\"n\": 5}, {\"n\": 9}]}");
        assertEquals(json("[2, 10, 18]"), compile("inputs.items.map(i, i.n * 2)").evaluate(items));
        assertEquals(json("[{\"n\": 9}]"), compile("inputs.items.filter(i, i.n > 5)").evaluate(items));
        assertTrue(compile("inputs.items.exists(i, i.n == 5)").evaluateBoolean(items));
        assertFalse(compile("inputs.items.all(i, i.n < 9)").evaluateBoolean(items));
        assertTrue(compile("inputs.items.exists_one(i, i.n > 8)").evaluateBoolean(items));
        assertTrue(compile("has(inputs.items) && !has(inputs.other)").evaluateBoolean(items));
    }

    @Test
    void jsonValuesSurviveARoundTrip() throws Exception {
        String document = "{\"s\": \"héllo \\\"q\\\" \\u2603 \\ud83d\\ude00\", \"i\": -12, \"l\": 9007199254740993,"
                + " \"d\": 0.25, \"t\": true, \"f\": false, \"n\": null, \"a\": [1, \"two\", [3.5], {}],"
                + " \"o\": {\"nested\": {\"deep\": [null]}}}";
        JsonNode value = json(document);
        assertEquals(value, compile("inputs").evaluate(EvaluationContext.ofInputs(value)));
        assertEquals(value.get("o"), compile("inputs.o").evaluate(EvaluationContext.ofInputs(value)));
        assertEquals(value.get("l"), compile("inputs.l").evaluate(EvaluationContext.ofInputs(value)));
    }

    @Test
    void celOnlyValuesBecomeJsonText() throws Exception {
        EvaluationContext none = inputs("{}");
        assertEquals(json("\"2024-03-01T10:15:30Z\""), compile("timestamp('2024-03-01T10:15:30Z')").evaluate(none));
        assertEquals(json("\"1.5s\""), compile("duration('1500ms')").evaluate(none));
        assertEquals(json("\"3600s\""), compile("duration('1h')").evaluate(none));
        assertEquals(json("\"YWJj\""), compile("b'abc'").evaluate(none));
        assertEquals(json("7"), compile("7u").evaluate(none));
        assertEquals(json("{\"1\": \"a\", \"true\": \"b\"}"), compile("{1: 'a', true: 'b'}").evaluate(none));
        assertEquals(json("null"), compile("null").evaluate(none));
    }

    @Test
    void sessionIsNullWithoutOneAndDataWithOne() throws Exception {
        CompiledExpression user = compile("session == null ? 'anonymous' : session.user");
        assertEquals("anonymous", user.evaluateString(inputs("{}")));
        assertEquals("ann", user.evaluateString(new EvaluationContext(json("{}"), Map.of(), json("{\"user\": \"ann\"}"))));
    }

    @Test
    void reportsUndeclaredReferences() {
        ExpressionCompileException e = assertThrows(ExpressionCompileException.class, () -> ENGINE.compile("foo + 1"));
        assertEquals("undeclared reference to 'foo' at column 1", e.getMessage());
    }

    @Test
    void reportsSyntaxErrorsWithTheirPosition() {
        ExpressionCompileException e = assertThrows(ExpressionCompileException.class, () -> ENGINE.compile("1 +"));
        assertTrue(e.getMessage().startsWith("mismatched input '<EOF>'"), e.getMessage());
        assertTrue(e.getMessage().endsWith("at column 4"), e.getMessage());
    }

    @Test
    void rejectsEmptyExpressions() {
        assertEquals("the expression is empty",
                assertThrows(ExpressionCompileException.class, () -> ENGINE.compile("  ")).getMessage());
    }

    @Test
    void rejectsExpressionsOverTheCodePointLimit() {
        String longSum = "1" + " + 1".repeat(586); // 2,345 code points
        ExpressionCompileException e = assertThrows(ExpressionCompileException.class, () -> ENGINE.compile(longSum));
        assertEquals("expression is 2,345 code points, the limit is 2,000", e.getMessage());
    }

    @Test
    void countsCodePointsNotChars() throws Exception {
        // 1,000 snowmen-with-emoji are 2,000 chars but 1,000 code points plus quotes.
        String emoji = "'" + "\ud83d\ude00".repeat(1000) + "'";
        assertEquals(1002, emoji.codePointCount(0, emoji.length()));
        ENGINE.compile(emoji);
    }

    @Test
    void rejectsExpressionsOverTheSyntaxTreeLimit() {
        String list = "[" + "1,".repeat(600) + "1]";
        ExpressionCompileException e = assertThrows(ExpressionCompileException.class, () -> ENGINE.compile(list));
        assertEquals("expression has 602 syntax tree nodes (macros expanded), the limit is 500", e.getMessage());
    }

    @Test
    void rejectsDeepNesting() {
        String deep = "(".repeat(300) + "1" + ")".repeat(300);
        ExpressionCompileException e = assertThrows(ExpressionCompileException.class, () -> ENGINE.compile(deep));
        assertEquals("Expression recursion limit exceeded. limit: 250 at column 1", e.getMessage());
    }

    @Test
    void acceptsLongOperatorChains() throws Exception {
        // Each operand of a left-associative chain is one nesting level deeper than the previous one.
        assertEquals(json("201"), compile("1" + " + 1".repeat(200)).evaluate(inputs("{}")));
    }

    @Test
    void reportsTheStaticResultType() {
        assertEquals("bool", compile("1 < 2").resultType());
        assertEquals("dyn", compile("nodes.check").resultType());
        assertEquals("map(string, int)", compile("{'y': inputs.x * 2}").resultType());
        assertTrue(compile("nodes.check").mayYield(CelKind.BOOL));
        assertFalse(compile("'text'").mayYield(CelKind.BOOL));
    }

    @Test
    void listsTheNodesAnExpressionReads() {
        assertEquals(Set.of("big", "small"),
                compile("has(nodes.big) ? nodes.big : nodes['small']").referencedNodes());
        assertEquals(Set.of("list"), compile("nodes.list.map(nodes, nodes.id)").referencedNodes());
        assertEquals(Set.of(), compile("inputs.x").referencedNodes());
    }

    @Test
    void tellsWhetherAnExpressionReadsTheSession() {
        assertTrue(compile("session.user").readsSession());
        assertTrue(compile("has(session.cart) ? size(session.cart) : 0").readsSession());
        assertTrue(compile("{'who': inputs.x, 'seen': [1, 2].exists(v, v == session.last)}").readsSession());
        assertTrue(compile(".session == null").readsSession());
        assertFalse(compile("inputs.session + nodes.a.session").readsSession(), "a field named session is no read");
        assertFalse(compile("[1, 2].map(session, session * 2)").readsSession(), "a macro's own variable");
        assertFalse(compile("'session'").readsSession());
    }

    @Test
    void compilesFromManyThreadsAtOnce() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<JsonNode>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                results.add(pool.submit(() -> ENGINE.compile("inputs.x + " + n).evaluate(inputs("{\"x\": 1}"))));
            }
            for (int i = 0; i < 40; i++) {
                assertEquals(json(Integer.toString(1 + i)), results.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCompiledExpressionIsSafeToShareAcrossThreads() throws Exception {
        CompiledExpression doubled = compile("{'y': inputs.x * 2, 'tags': inputs.tags.map(t, t + '!')}");
        int threads = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t * 1000;
                results.add(pool.submit(() -> {
                    for (int i = offset; i < offset + 300; i++) {
                        JsonNode out = doubled.evaluate(inputs("{\"x\": " + i + ", \"tags\": [\"t" + i + "\"]}"));
                        if (out.get("y").longValue() != 2L * i || !out.get("tags").get(0).asText().equals("t" + i + "!")) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (java.util.concurrent.Future<Boolean> result : results) {
                assertTrue(result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
