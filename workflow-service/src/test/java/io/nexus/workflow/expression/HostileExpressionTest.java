package io.nexus.workflow.expression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Expressions written to exhaust a worker: each must end with code {@code limit}, quickly, whatever it tries. The
 * time bound is generous for a loaded 2-core machine; unbounded, these run for minutes or exhaust the heap.
 */
class HostileExpressionTest {

    private static final long MAX_MILLIS = 1_000;
    private static final String HUNDRED = IntStream.range(0, 100).mapToObj(Integer::toString)
            .collect(Collectors.joining(",", "[", "]"));
    private static final ExpressionEngine ENGINE = new ExpressionEngine(ExpressionLimits.DEFAULTS);
    private static ExecutorService worker;

    @BeforeAll
    static void warmUp() throws Exception {
        worker = Executors.newSingleThreadExecutor();
        // Class loading and the first JIT passes are not what the bound is about.
        ENGINE.compile("[1, 2, 3].map(x, x * 2).filter(y, y > 2).exists(z, z == 4)")
                .evaluate(EvaluationContext.ofInputs(JsonNodeFactory.instance.objectNode()));
    }

    @AfterAll
    static void stopWorker() {
        worker.shutdownNow();
    }

    /** Evaluates on a worker thread and asserts the thread comes back, with a limit failure, within the bound. */
    private static ExpressionFailure stoppedWithinBound(String source, JsonNode inputs) throws Exception {
        CompiledExpression expression = ENGINE.compile(source);
        long start = System.nanoTime();
        Future<ExpressionFailure> outcome = worker.submit(() -> assertThrows(ExpressionFailure.class,
                () -> expression.evaluate(EvaluationContext.ofInputs(inputs))));
        ExpressionFailure failure = outcome.get(5, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals("limit", failure.code(), failure.getMessage());
        assertTrue(millis < MAX_MILLIS, "took " + millis + " ms: " + failure.getMessage());
        return failure;
    }

    private static JsonNode noInputs() {
        return JsonNodeFactory.instance.objectNode();
    }

    @Test
    void stopsNestedComprehensions() throws Exception {
        ExpressionFailure failure = stoppedWithinBound(
                HUNDRED + ".map(a, " + HUNDRED + ".map(b, " + HUNDRED + ".map(c, [a, b, c])))", noInputs());
        assertEquals("the evaluation took more than 20,000 steps", failure.getMessage());
    }

    @Test
    void stopsStringDoublingOverAList() throws Exception {
        ObjectNode inputs = JsonNodeFactory.instance.objectNode().put("s", "x".repeat(100_000));
        stoppedWithinBound(HUNDRED + ".map(i, inputs.s + inputs.s)", inputs);
    }

    @Test
    void stopsBuildingAStringLargerThanAValue() throws Exception {
        ObjectNode inputs = JsonNodeFactory.instance.objectNode().put("s", "x".repeat(60_000));
        ExpressionFailure failure = stoppedWithinBound(
                "inputs.s + inputs.s + inputs.s + inputs.s + inputs.s", inputs);
        assertEquals("the evaluation built a string of 300,000 characters, the limit is 262,144",
                failure.getMessage());
    }

    @Test
    void stopsRepeatedScansOfALargeList() throws Exception {
        ArrayNode big = JsonNodeFactory.instance.arrayNode();
        IntStream.range(0, 40_000).forEach(big::add);
        ObjectNode inputs = JsonNodeFactory.instance.objectNode().set("big", big);
        stoppedWithinBound("inputs.big.map(x, x in inputs.big)", inputs);
    }

    @Test
    void stopsResultsThatShareStructureButSerializeHuge() throws Exception {
        // Ten levels of ten-fold sharing: 10^10 leaves as JSON, a few kilobytes in memory.
        String level = "[x, x, x, x, x, x, x, x, x, x]";
        StringBuilder source = new StringBuilder("[[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]");
        for (int i = 0; i < 10; i++) {
            source.append(".map(x, ").append(level).append(")");
        }
        ExpressionFailure failure = stoppedWithinBound(source.toString(), noInputs());
        assertEquals("the result is larger than 262,144 bytes serialized", failure.getMessage());
    }

    @Test
    void stopsAtTheComprehensionIterationCap() throws Exception {
        ExpressionEngine generousSteps = new ExpressionEngine(new ExpressionLimits(2000, 500, 150, 1_000_000, 1024));
        CompiledExpression loop = generousSteps.compile(HUNDRED + ".map(a, " + HUNDRED + ".map(b, a + b))");
        ExpressionFailure failure = assertThrows(ExpressionFailure.class,
                () -> loop.evaluate(EvaluationContext.ofInputs(noInputs())));
        assertEquals("limit", failure.code());
        assertEquals("the evaluation took more than 150 comprehension iterations", failure.getMessage());
    }

    @Test
    void ordinaryWorkOnLargeInputsStaysWithinBudget() throws Exception {
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        IntStream.range(0, 2_000).forEach(i -> items.addObject().put("id", i).put("price", i * 2));
        ObjectNode inputs = JsonNodeFactory.instance.objectNode().set("items", items);
        JsonNode total = ENGINE.compile("inputs.items.filter(i, i.price > 3000).map(i, i.id)")
                .evaluate(EvaluationContext.ofInputs(inputs));
        assertEquals(499, total.size());
        assertTrue(ENGINE.compile("size(inputs.items) == 2000 && 'items' in inputs")
                .evaluateBoolean(EvaluationContext.ofInputs(inputs)));
    }
}
