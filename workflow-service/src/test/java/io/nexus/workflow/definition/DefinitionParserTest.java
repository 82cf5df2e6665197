package io.nexus.workflow.definition;

import static io.nexus.workflow.definition.Definitions.error;
import static io.nexus.workflow.definition.Definitions.errors;
import static io.nexus.workflow.definition.Definitions.json;
import static io.nexus.workflow.definition.Definitions.minimal;
import static io.nexus.workflow.definition.Definitions.object;
import static io.nexus.workflow.definition.Definitions.workflow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.common.problem.FieldError;
import io.nexus.workflow.expression.EvaluationContext;

class DefinitionParserTest {

    /** Every node type, every optional field: what a rich registration looks like. */
    private static final String EVERYTHING = """
            {`name`: `order-intake`, `description`: `Takes an order in.`, `timeoutMs`: 60000,
             `inputSchema`: {`type`: `object`, `properties`: {`x`: {`type`: `integer`}}, `required`: [`x`]},
             `nodes`: [
               {`id`: `double`, `type`: `transform`, `config`: {`expression`: `{'y': inputs.x * 2}`}},
               {`id`: `check`, `type`: `condition`, `config`: {`expression`: `nodes.double.y > 10`}},
               {`id`: `fetch`, `type`: `http`, `config`: {`url`: `'https://example.org/o/' + string(inputs.x)`,
                  `method`: `POST`, `headers`: {`X-Trace`: `'t-' + string(inputs.x)`, `Accept`: `'application/json'`},
                  `body`: `nodes.double`, `timeoutMs`: 5000},
                `retry`: {`maxAttempts`: 3, `backoffMs`: 200}, `timeoutMs`: 6000, `onError`: `continue`},
               {`id`: `pause`, `type`: `delay`, `config`: {`durationMs`: 1000}},
               {`id`: `until`, `type`: `delay`, `config`: {`until`: `timestamp('2030-01-01T00:00:00Z')`}},
               {`id`: `approval`, `type`: `wait`, `config`: {`signal`: `approved`, `timeoutMs`: 86400000}},
               {`id`: `bill`, `type`: `subworkflow`, `config`: {`workflow`: `billing`, `version`: 2,
                  `inputs`: `{'amount': nodes.double.y}`}},
               {`id`: `remember`, `type`: `session`, `config`: {`merge`: `{'lastOrder': inputs.x}`}},
               {`id`: `notify`, `type`: `event`, `config`: {`type`: `order.accepted`, `data`: `nodes.double`}},
               {`id`: `reject`, `type`: `fail`, `config`: {`message`: `'too small: ' + string(nodes.double.y)`},
                `retry`: {`maxAttempts`: 1}}],
             `edges`: [{`from`: `double`, `to`: `check`},
                       {`from`: `check`, `to`: `fetch`, `when`: `nodes.check`},
                       {`from`: `check`, `to`: `reject`, `when`: `!nodes.check`},
                       {`from`: `fetch`, `to`: `pause`}, {`from`: `pause`, `to`: `until`},
                       {`from`: `until`, `to`: `approval`}, {`from`: `approval`, `to`: `bill`},
                       {`from`: `bill`, `to`: `remember`}, {`from`: `remember`, `to`: `notify`}],
             `output`: `has(nodes.notify) ? nodes.bill : {'rejected': true}`,
             `events`: `steps`}
            """;

    @Test
    void parsesADefinitionWithEveryNodeType() {
        CompiledWorkflow workflow = workflow(object(EVERYTHING));
        WorkflowDefinition definition = workflow.definition();
        assertEquals("order-intake", definition.name());
        assertEquals("Takes an order in.", definition.description());
        assertEquals(60_000L, definition.timeoutMs());
        assertEquals(StepEvents.STEPS, definition.events());
        assertEquals(10, definition.nodes().size());
        assertEquals(9, definition.edges().size());

        NodeDefinition fetch = definition.nodes().get(2);
        assertEquals(NodeType.HTTP, fetch.type());
        assertEquals(new RetryPolicy(3, 200), fetch.retry());
        assertEquals(6_000L, fetch.timeoutMs());
        assertEquals(OnError.CONTINUE, fetch.onError());
        assertEquals(3, fetch.maxAttempts());
        assertEquals(new RetryPolicy(1, 0), definition.nodes().get(9).retry());
        assertEquals(OnError.FAIL, definition.nodes().get(0).onError());
        assertEquals(1, definition.nodes().get(0).maxAttempts());
    }

    @Test
    void exposesEveryCompiledExpression() {
        CompiledWorkflow workflow = workflow(object(EVERYTHING));
        Map<String, String> expected = Map.ofEntries(
                Map.entry("double/expression", "{'y': inputs.x * 2}"),
                Map.entry("check/expression", "nodes.double.y > 10"),
                Map.entry("fetch/url", "'https://example.org/o/' + string(inputs.x)"),
                Map.entry("fetch/body", "nodes.double"),
                Map.entry("until/until", "timestamp('2030-01-01T00:00:00Z')"),
                Map.entry("bill/inputs", "{'amount': nodes.double.y}"),
                Map.entry("remember/merge", "{'lastOrder': inputs.x}"),
                Map.entry("notify/data", "nodes.double"),
                Map.entry("reject/message", "'too small: ' + string(nodes.double.y)"));
        expected.forEach((key, source) -> {
            String[] nodeAndKey = key.split("/");
            assertEquals(source, workflow.nodeExpression(nodeAndKey[0], nodeAndKey[1]).source(), key);
        });
        assertNull(workflow.nodeExpression("pause", "until"));
        assertNull(workflow.nodeExpression("nobody", "expression"));
        assertEquals(List.of("X-Trace", "Accept"), List.copyOf(workflow.headerExpressions("fetch").keySet()));
        assertEquals("'application/json'", workflow.nodeExpression("fetch", "headers.Accept").source());
        assertEquals(Map.of(), workflow.headerExpressions("double"));

        assertNull(workflow.edgeCondition(0));
        assertEquals("nodes.check", workflow.edgeCondition(1).source());
        assertEquals("!nodes.check", workflow.edgeCondition(2).source());
        assertEquals("has(nodes.notify) ? nodes.bill : {'rejected': true}", workflow.output().source());
        assertNull(workflow(minimal()).output());
    }

    @Test
    void runsTheContractExampleThroughItsCompiledExpressions() throws Exception {
        CompiledWorkflow workflow = workflow(object(EVERYTHING));
        EvaluationContext start = EvaluationContext.ofInputs(json("{\"x\": 7}"));
        JsonNode doubled = workflow.nodeExpression("double", "expression").evaluate(start);
        assertEquals(json("{\"y\": 14}"), doubled);
        EvaluationContext afterDouble = new EvaluationContext(json("{\"x\": 7}"), Map.of("double", doubled), null);
        boolean check = workflow.nodeExpression("check", "expression").evaluateBoolean(afterDouble);
        assertTrue(check);
        EvaluationContext afterCheck = new EvaluationContext(json("{\"x\": 7}"),
                Map.of("double", doubled, "check", json("true")), null);
        assertTrue(workflow.edgeCondition(1).evaluateBoolean(afterCheck));
        assertFalse(workflow.edgeCondition(2).evaluateBoolean(afterCheck));
        assertEquals("https://example.org/o/7", workflow.nodeExpression("fetch", "url").evaluateString(afterCheck));
    }

    @Test
    void writesACanonicalFormWithDefaultsAndAFixedOrder() {
        ObjectNode submitted = object("""
                {`edges`: [{`to`: `b`, `from`: `a`}],
                 `nodes`: [{`config`: {`expression`: `inputs`}, `type`: `transform`, `id`: `a`},
                           {`type`: `http`, `id`: `b`, `retry`: {`maxAttempts`: 2},
                            `config`: {`url`: `'https://example.org'`, `method`: `GET`}}],
                 `name`: `canon`, `description`: null}
                """);
        JsonNode canonical = workflow(submitted).canonicalJson();
        assertEquals(json("""
                {"name": "canon",
                 "nodes": [{"id": "a", "type": "transform", "config": {"expression": "inputs"}, "onError": "fail"},
                           {"id": "b", "type": "http", "config": {"method": "GET", "url": "'https://example.org'"},
                            "retry": {"maxAttempts": 2, "backoffMs": 0}, "onError": "fail"}],
                 "edges": [{"from": "a", "to": "b"}],
                 "events": "none"}
                """), canonical);
        assertEquals(List.of("name", "nodes", "edges", "events"), fieldNames(canonical));
        assertEquals(List.of("method", "url"), fieldNames(canonical.get("nodes").get(1).get("config")));
    }

    @Test
    void reparsingTheCanonicalFormGivesItBack() {
        JsonNode canonical = workflow(object(EVERYTHING)).canonicalJson();
        CompiledWorkflow rebuilt = workflow(canonical);
        assertEquals(canonical, rebuilt.canonicalJson());
        assertEquals(canonical.toString(), rebuilt.canonicalJson().toString());
    }

    @Test
    void canonicalJsonIsACopy() {
        CompiledWorkflow workflow = workflow(minimal());
        ((ObjectNode) workflow.canonicalJson()).put("name", "changed");
        assertEquals("order-intake", workflow.canonicalJson().get("name").textValue());
    }

    @Test
    void edgesAreOptional() {
        ObjectNode definition = minimal();
        definition.remove("edges");
        ((ObjectNode) definition.withArray("nodes").get(1).get("config")).put("expression", "true");
        assertEquals(List.of(), workflow(definition).definition().edges());
    }

    @Test
    void reportsEveryProblemAtOnce() {
        ObjectNode definition = object("""
                {`name`: `Bad Name`, `timeoutMs`: `soon`, `colour`: `red`, `events`: `all`,
                 `inputSchema`: {`type`: `objekt`},
                 `nodes`: [
                   {`id`: `a`, `type`: `transform`, `config`: {`expression`: `foo + 1`}},
                   {`id`: `b`, `type`: `teleport`, `config`: {}},
                   {`id`: `a`, `type`: `condition`, `config`: {`expression`: `1`}, `onError`: `explode`},
                   {`id`: `Upper`, `type`: `http`, `config`: {`method`: `GET`, `url`: `'x'`, `timeoutMs`: 0},
                    `retry`: {`maxAttempts`: 0}},
                   {`id`: `c`, `type`: `delay`, `config`: {`durationMs`: 5, `until`: `inputs.at`}}],
                 `edges`: [{`from`: `a`, `to`: `zz`}, {`from`: `b`, `to`: `b`}, {`from`: `a`, `to`: `c`},
                           {`from`: `c`, `to`: `a`, `when`: `nodes.q`}, {`from`: `a`, `to`: `c`}],
                 `output`: `nodes.a.`}
                """);
        List<FieldError> errors = errors(definition);
        String outputMessage = errors.stream().filter(e -> e.field().equals("output")).findFirst().orElseThrow().message();
        assertTrue(outputMessage.startsWith("does not compile: "), outputMessage);
        assertEquals(List.of(
                error("colour", "unknown field"),
                error("name", "invalid workflow name 'Bad Name': must match [a-z0-9][a-z0-9-]{0,62}"),
                error("timeoutMs", "must be an integer, got string 'soon'"),
                error("inputSchema.type", "'objekt': does not have a value in the enumeration [\"array\", "
                        + "\"boolean\", \"integer\", \"null\", \"number\", \"object\", \"string\"]"),
                error("nodes[0].config.expression", "does not compile: undeclared reference to 'foo' at column 1"),
                error("nodes[1].type", "unknown node type 'teleport'"),
                error("nodes[2].id", "duplicate node id 'a'"),
                error("nodes[2].config.expression", "must evaluate to a bool, but its type is int"),
                error("nodes[2].onError", "unknown onError 'explode', expected fail or continue"),
                error("nodes[3].id", "invalid node id 'Upper': must match [a-z_][a-z0-9_]{0,62}"),
                error("nodes[3].config.timeoutMs", "must be between 1 and 30,000, got 0"),
                error("nodes[3].retry.maxAttempts", "must be between 1 and 10, got 0"),
                error("nodes[4].config", "set durationMs or until, not both"),
                error("edges[0].to", "edge target 'zz' is not a node id"),
                error("edges[1]", "edge from 'b' to itself"),
                error("edges[3].when", "reads nodes.q, but there is no node 'q'"),
                error("edges[4]", "duplicate edge 'a' -> 'c', already declared as edges[2]"),
                error("edges", "edges form a cycle: a -> c -> a"),
                error("output", outputMessage),
                error("events", "unknown events value 'all', expected none or steps")), errors);
    }

    @Test
    void storedDefinitionsReparseQuickly() {
        JsonNode stored = workflow(object(EVERYTHING)).canonicalJson();
        for (int i = 0; i < 5; i++) {
            workflow(stored);
        }
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            assertNotNull(workflow(stored));
        }
        long perParseMillis = (System.nanoTime() - start) / 20 / 1_000_000;
        // About 10 ms on an idle core (20 expressions and a schema). The bound only catches a pathology: the test
        // machine is shared and often loaded, and a cached version is parsed once anyway.
        assertTrue(perParseMillis < 1_000, perParseMillis + " ms per parse");
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
