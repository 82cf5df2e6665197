package io.nexus.workflow.definition;

import static io.nexus.workflow.definition.Definitions.config;
import static io.nexus.workflow.definition.Definitions.error;
import static io.nexus.workflow.definition.Definitions.errors;
import static io.nexus.workflow.definition.Definitions.json;
import static io.nexus.workflow.definition.Definitions.minimal;
import static io.nexus.workflow.definition.Definitions.node;
import static io.nexus.workflow.definition.Definitions.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nexus.common.problem.FieldError;

/** One test per rule of docs/api.md §5: each breaks exactly one thing and expects exactly one error for it. */
class InvalidDefinitionTest {

    private static void assertOnly(ObjectNode definition, FieldError expected) {
        ParsedDefinition parsed = Definitions.PARSER.parse(definition);
        assertFalse(parsed.valid());
        assertNull(parsed.workflow());
        assertEquals(List.of(expected), parsed.errors());
    }

    @Nested
    class TopLevel {

        @Test
        void rejectsABodyThatIsNotAnObject() {
            assertEquals(List.of(error("", "a workflow definition must be a JSON object, got an array")),
                    errors(json("[1, 2]")));
        }

        @Test
        void rejectsUnknownFields() {
            ObjectNode definition = minimal();
            definition.put("colour", "red");
            assertOnly(definition, error("colour", "unknown field"));
        }

        @Test
        void requiresAName() {
            ObjectNode definition = minimal();
            definition.remove("name");
            assertOnly(definition, error("name", "is required"));
        }

        @Test
        void doesNotCoerceNumbersToStrings() {
            ObjectNode definition = minimal();
            definition.put("name", 123);
            assertOnly(definition, error("name", "must be a string, got number 123"));
        }

        @Test
        void rejectsInvalidWorkflowNames() {
            ObjectNode definition = minimal();
            definition.put("name", "Order_Intake");
            assertOnly(definition,
                    error("name", "invalid workflow name 'Order_Intake': must match [a-z0-9][a-z0-9-]{0,62}"));
            definition.put("name", "a".repeat(64));
            assertEquals("name", errors(definition).get(0).field());
            definition.put("name", "-leading-dash");
            assertEquals("name", errors(definition).get(0).field());
        }

        @Test
        void limitsTheDescription() {
            ObjectNode definition = minimal();
            definition.put("description", "d".repeat(2001));
            assertOnly(definition, error("description", "is 2,001 characters, the limit is 2,000"));
        }

        @Test
        void countsTheDescriptionInCharactersNotUtf16Units() {
            // U+1F600 is one character and two UTF-16 units: 2,000 of them are within the limit.
            String grin = new String(Character.toChars(0x1F600));
            ObjectNode definition = minimal();
            definition.put("description", grin.repeat(2000));
            assertEquals(List.of(), errors(definition));
            definition.put("description", grin.repeat(2001));
            assertOnly(definition, error("description", "is 2,001 characters, the limit is 2,000"));
        }

        @Test
        void requiresAnIntegerTimeoutWithinADay() {
            ObjectNode definition = minimal();
            definition.put("timeoutMs", 0);
            assertOnly(definition, error("timeoutMs", "must be between 1 and 86,400,000, got 0"));
            definition.put("timeoutMs", 86_400_001);
            assertOnly(definition, error("timeoutMs", "must be between 1 and 86,400,000, got 86,400,001"));
            definition.put("timeoutMs", "60000");
            assertOnly(definition, error("timeoutMs", "must be an integer, got string '60000'"));
            definition.put("timeoutMs", 1.5);
            assertOnly(definition, error("timeoutMs", "must be an integer, got number 1.5"));
            definition.set("timeoutMs", json("100000000000000000000"));
            assertOnly(definition, error("timeoutMs", "must be between 1 and 86,400,000, got 100000000000000000000"));
        }

        @Test
        void acceptsOnlyKnownEventsValues() {
            ObjectNode definition = minimal();
            definition.put("events", "all");
            assertOnly(definition, error("events", "unknown events value 'all', expected none or steps"));
        }

        @Test
        void compilesTheOutputExpression() {
            ObjectNode definition = minimal();
            definition.put("output", "nodes.double.y +");
            List<FieldError> errors = errors(definition);
            assertEquals(1, errors.size());
            assertEquals("output", errors.get(0).field());
            assertEquals("does not compile: mismatched input '<EOF>' expecting",
                    errors.get(0).message().substring(0, "does not compile: mismatched input '<EOF>' expecting".length()));
        }
    }

    @Nested
    class Nodes {

        @Test
        void requiresNodes() {
            ObjectNode definition = minimal();
            definition.remove("nodes");
            definition.remove("edges");
            assertOnly(definition, error("nodes", "is required"));
        }

        @Test
        void requiresAtLeastOneNode() {
            ObjectNode definition = minimal();
            definition.putArray("nodes");
            definition.remove("edges");
            assertOnly(definition, error("nodes", "must have at least one node"));
        }

        @Test
        void requiresNodesToBeAnArray() {
            ObjectNode definition = minimal();
            definition.put("nodes", "double");
            definition.remove("edges");
            assertOnly(definition, error("nodes", "must be an array, got string 'double'"));
        }

        @Test
        void limitsTheNumberOfNodes() {
            ObjectNode definition = minimal();
            definition.remove("edges");
            ArrayNode nodes = definition.putArray("nodes");
            for (int i = 0; i < 201; i++) {
                nodes.addObject().put("id", "n" + i).put("type", "transform").putObject("config")
                        .put("expression", "inputs");
            }
            assertOnly(definition, error("nodes", "has 201 nodes, the limit is 200"));
        }

        @Test
        void requiresNodesToBeObjects() {
            ObjectNode definition = minimal();
            definition.remove("edges");
            definition.withArray("nodes").set(1, json("\"check\""));
            assertOnly(definition, error("nodes[1]", "must be an object, got string 'check'"));
        }

        @Test
        void rejectsUnknownNodeFields() {
            ObjectNode definition = minimal();
            node(definition, 1).put("retries", 3);
            assertOnly(definition, error("nodes[1].retries", "unknown field"));
        }

        @Test
        void rejectsInvalidNodeIds() {
            ObjectNode definition = minimal();
            node(definition, 0).put("id", "Double");
            definition.remove("edges");
            config(definition, 1).put("expression", "true");
            assertOnly(definition, error("nodes[0].id", "invalid node id 'Double': must match [a-z_][a-z0-9_]{0,62}"));
        }

        @Test
        void rejectsReservedWordsAsNodeIds() {
            ObjectNode definition = minimal();
            node(definition, 1).put("id", "if");
            definition.remove("edges");
            assertOnly(definition, error("nodes[1].id", "node id 'if' is a CEL reserved word, so nodes.if could not be written"));
        }

        @Test
        void rejectsDuplicateNodeIds() {
            ObjectNode definition = minimal();
            node(definition, 1).put("id", "double");
            definition.remove("edges");
            assertOnly(definition, error("nodes[1].id", "duplicate node id 'double'"));
        }

        @Test
        void requiresANodeId() {
            ObjectNode definition = minimal();
            node(definition, 1).remove("id");
            definition.remove("edges");
            assertOnly(definition, error("nodes[1].id", "is required"));
        }

        @Test
        void rejectsUnknownNodeTypes() {
            ObjectNode definition = minimal();
            node(definition, 1).put("type", "teleport");
            assertOnly(definition, error("nodes[1].type", "unknown node type 'teleport'"));
        }

        @Test
        void boundsRetries() {
            ObjectNode definition = minimal();
            node(definition, 0).putObject("retry").put("maxAttempts", 11).put("backoffMs", 100);
            assertOnly(definition, error("nodes[0].retry.maxAttempts", "must be between 1 and 10, got 11"));
            node(definition, 0).putObject("retry").put("maxAttempts", 3).put("backoffMs", 60_001);
            assertOnly(definition, error("nodes[0].retry.backoffMs", "must be between 0 and 60,000, got 60,001"));
            node(definition, 0).putObject("retry").put("backoffMs", 10);
            assertOnly(definition, error("nodes[0].retry.maxAttempts", "is required"));
            node(definition, 0).putObject("retry").put("maxAttempts", 2).put("jitter", true);
            assertOnly(definition, error("nodes[0].retry.jitter", "unknown field"));
            node(definition, 0).put("retry", 3);
            assertOnly(definition, error("nodes[0].retry", "must be an object, got number 3"));
        }

        @Test
        void boundsTheNodeTimeout() {
            ObjectNode definition = minimal();
            node(definition, 0).put("timeoutMs", 3_600_001);
            assertOnly(definition, error("nodes[0].timeoutMs", "must be between 1 and 3,600,000, got 3,600,001"));
        }

        @Test
        void acceptsOnlyKnownOnErrorValues() {
            ObjectNode definition = minimal();
            node(definition, 0).put("onError", "explode");
            assertOnly(definition, error("nodes[0].onError", "unknown onError 'explode', expected fail or continue"));
        }

        @Test
        void rejectsExpressionsReadingNodesThatDoNotExist() {
            ObjectNode definition = minimal();
            config(definition, 1).put("expression", "nodes.doubel.y > 10");
            assertOnly(definition, error("nodes[1].config.expression",
                    "reads nodes.doubel, but there is no node 'doubel'"));
        }
    }

    @Nested
    class Edges {

        @Test
        void requiresEdgesToBeAnArray() {
            ObjectNode definition = minimal();
            definition.putObject("edges");
            assertOnly(definition, error("edges", "must be an array, got an object"));
        }

        @Test
        void requiresEdgeTargetsToBeNodes() {
            ObjectNode definition = minimal();
            definition.withArray("edges").addObject().put("from", "check").put("to", "zz");
            assertOnly(definition, error("edges[1].to", "edge target 'zz' is not a node id"));
        }

        @Test
        void requiresEdgeSourcesToBeNodes() {
            ObjectNode definition = minimal();
            definition.withArray("edges").addObject().put("from", "zz").put("to", "check");
            assertOnly(definition, error("edges[1].from", "edge source 'zz' is not a node id"));
        }

        @Test
        void requiresBothEnds() {
            ObjectNode definition = minimal();
            definition.withArray("edges").addObject().put("from", "double");
            assertOnly(definition, error("edges[1].to", "is required"));
        }

        @Test
        void rejectsUnknownEdgeFields() {
            ObjectNode definition = minimal();
            ((ObjectNode) definition.withArray("edges").get(0)).put("label", "x");
            assertOnly(definition, error("edges[0].label", "unknown field"));
        }

        @Test
        void rejectsSelfLoops() {
            ObjectNode definition = minimal();
            definition.withArray("edges").addObject().put("from", "check").put("to", "check");
            assertOnly(definition, error("edges[1]", "edge from 'check' to itself"));
        }

        @Test
        void rejectsDuplicateEdges() {
            ObjectNode definition = minimal();
            definition.withArray("edges").addObject().put("from", "double").put("to", "check").put("when", "true");
            assertOnly(definition, error("edges[1]", "duplicate edge 'double' -> 'check', already declared as edges[0]"));
        }

        @Test
        void rejectsCycles() {
            ObjectNode definition = minimal();
            definition.withArray("edges").addObject().put("from", "check").put("to", "double");
            assertOnly(definition, error("edges", "edges form a cycle: double -> check -> double"));
        }

        @Test
        void reportsEachCycleOnceWithItsShortestPath() {
            ObjectNode definition = Definitions.object("""
                    {`name`: `loops`, `nodes`: [
                      {`id`: `a`, `type`: `transform`, `config`: {`expression`: `1`}},
                      {`id`: `b`, `type`: `transform`, `config`: {`expression`: `2`}},
                      {`id`: `c`, `type`: `transform`, `config`: {`expression`: `3`}},
                      {`id`: `d`, `type`: `transform`, `config`: {`expression`: `4`}},
                      {`id`: `e`, `type`: `transform`, `config`: {`expression`: `5`}}],
                     `edges`: [{`from`: `a`, `to`: `b`}, {`from`: `b`, `to`: `c`}, {`from`: `c`, `to`: `a`},
                               {`from`: `b`, `to`: `a`}, {`from`: `d`, `to`: `e`}, {`from`: `e`, `to`: `d`}]}
                    """);
            assertEquals(List.of(error("edges", "edges form a cycle: a -> b -> a"),
                    error("edges", "edges form a cycle: d -> e -> d")), errors(definition));
        }

        @Test
        void requiresConditionsToCompile() {
            ObjectNode definition = minimal();
            ((ObjectNode) definition.withArray("edges").get(0)).put("when", "nodes.double.y >");
            List<FieldError> errors = errors(definition);
            assertEquals(1, errors.size());
            assertEquals("edges[0].when", errors.get(0).field());
        }

        @Test
        void requiresConditionsToBeBooleans() {
            ObjectNode definition = minimal();
            ((ObjectNode) definition.withArray("edges").get(0)).put("when", "nodes.double.y + 1");
            assertOnly(definition, error("edges[0].when",
                    "must evaluate to a bool, but its type is int"));
        }
    }

    @Nested
    class InputSchemas {

        @Test
        void requiresAnObject() {
            ObjectNode definition = minimal();
            definition.put("inputSchema", true);
            assertOnly(definition, error("inputSchema", "must be an object, got boolean true"));
        }

        @Test
        void reportsMetaSchemaViolationsWhereTheyAre() {
            ObjectNode definition = minimal();
            definition.set("inputSchema", json("""
                    {"type": "object", "properties": {"x": {"type": "integr"}, "y": {"minLength": -1}},
                     "required": "x"}
                    """));
            List<FieldError> errors = errors(definition);
            assertEquals(List.of("inputSchema.properties.x.type", "inputSchema.properties.y.minLength",
                    "inputSchema.required"), errors.stream().map(FieldError::field).sorted().toList());
            FieldError type = errors.stream().filter(e -> e.field().endsWith("x.type")).findFirst().orElseThrow();
            assertEquals("'integr': does not have a value in the enumeration [\"array\", \"boolean\", \"integer\", "
                    + "\"null\", \"number\", \"object\", \"string\"]", type.message());
        }

        @Test
        void rejectsPatternsRe2CannotRun() {
            ObjectNode definition = minimal();
            definition.set("inputSchema", json("""
                    {"type": "object", "properties": {"code": {"type": "string", "pattern": "^(?=x)"}}}
                    """));
            assertOnly(definition, error("inputSchema.properties.code.pattern",
                    "'^(?=x)' is not a valid regular expression (RE2 syntax: no lookaround or backreferences)"));
        }

        @Test
        void rejectsUnpublishedDialects() {
            ObjectNode definition = minimal();
            definition.set("inputSchema", json("{\"$schema\": \"https://example.org/mine\", \"type\": \"object\"}"));
            assertOnly(definition, error("inputSchema.$schema",
                    "unsupported $schema 'https://example.org/mine', expected a published draft (2020-12 by default)"));
        }

        @Test
        void neverFetchesRemoteReferences() throws Exception {
            try (java.net.ServerSocket listener = new java.net.ServerSocket(0, 1,
                    java.net.InetAddress.getLoopbackAddress())) {
                String remote = "http://127.0.0.1:" + listener.getLocalPort() + "/schema.json";
                ObjectNode definition = minimal();
                definition.set("inputSchema", json("{\"$ref\": \"" + remote + "\"}"));
                assertOnly(definition, error("inputSchema", "cannot be used: $ref '" + remote
                        + "' cannot be resolved: only references within inputSchema are allowed"));
                listener.setSoTimeout(200);
                org.junit.jupiter.api.Assertions.assertThrows(java.net.SocketTimeoutException.class,
                        listener::accept, "the parser connected to the $ref address");
            }
        }
    }
}
