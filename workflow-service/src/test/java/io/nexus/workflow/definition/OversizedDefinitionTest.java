package io.nexus.workflow.definition;

import static io.nexus.workflow.definition.Definitions.PARSER;
import static io.nexus.workflow.definition.Definitions.error;
import static io.nexus.workflow.definition.Definitions.errors;
import static io.nexus.workflow.definition.Definitions.minimal;
import static io.nexus.workflow.definition.Definitions.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Definitions too big to be worth compiling are refused before any expression is compiled (a flood of them once
 * kept the shared expression threads busy for seconds each), and no graph walk recurses: a long chain cannot
 * overflow the stack.
 */
class OversizedDefinitionTest {

    /** {@code count} transform nodes in a chain; every expression is broken, so compiling any would report it. */
    private static ObjectNode chain(int count) {
        ObjectNode definition = object("{`name`: `long-chain`}");
        ArrayNode nodes = definition.putArray("nodes");
        ArrayNode edges = definition.putArray("edges");
        for (int i = 0; i < count; i++) {
            nodes.addObject().put("id", "n" + i).put("type", "transform").putObject("config")
                    .put("expression", "{'broken': ");
            if (i > 0) {
                edges.addObject().put("from", "n" + (i - 1)).put("to", "n" + i);
            }
        }
        return definition;
    }

    @Test
    void refusesTooManyNodesWithoutCompilingAnyExpression() {
        assertEquals(List.of(error("nodes", "has 5,000 nodes, the limit is 200"),
                error("edges", "has 4,999 edges, the limit is 2,000")), errors(chain(5_000)));
    }

    @Test
    void refusesANineThousandNodeChainWithTheLimitsNotAStackOverflow() {
        assertEquals(List.of(error("nodes", "has 9,000 nodes, the limit is 200"),
                error("edges", "has 8,999 edges, the limit is 2,000")), errors(chain(9_000)));
    }

    @Test
    void refusesADefinitionOverItsSerializedSizeWithoutCompilingIt() {
        ObjectNode definition = chain(3);
        definition.put("description", "x".repeat(1_000));
        StringBuilder huge = new StringBuilder("'");
        huge.append("y".repeat(300_000)).append("'");
        ((ObjectNode) definition.withArray("nodes").get(0).get("config")).put("expression", huge.toString());

        List<?> found = errors(definition);

        assertEquals(1, found.size(), found::toString);
        int size = definition.toString().getBytes(StandardCharsets.UTF_8).length;
        assertEquals(error("", String.format(Locale.ROOT, "is %,d bytes serialized, the limit is 262,144", size)),
                found.get(0));
    }

    @Test
    void findsACycleAtTheEndOfAChainFarLongerThanTheStackCouldRecurse() {
        // EdgeRules itself, below the node limit's protection: its walk must not recurse per node.
        int count = 50_000;
        List<String> ids = new ArrayList<>();
        ArrayNode edges = Definitions.JSON.createArrayNode();
        for (int i = 0; i < count; i++) {
            ids.add("n" + i);
            if (i > 0) {
                edges.addObject().put("from", "n" + (i - 1)).put("to", "n" + i);
            }
        }
        edges.addObject().put("from", "n" + (count - 1)).put("to", "n" + (count - 2));
        Violations violations = new Violations();
        ExpressionFields noExpressions = new ExpressionFields(null, Set.copyOf(ids), violations, () -> false);

        new EdgeRules(noExpressions, violations).read(edges, "edges", ids);

        assertEquals(List.of(error("edges", "edges form a cycle: n49998 -> n49999 -> n49998")), violations.list());
    }

    @Test
    void stopsCompilingOnceTheClientIsGone() {
        ObjectNode definition = minimal();
        AtomicInteger asked = new AtomicInteger();

        assertThrows(CancellationException.class, () -> PARSER.parse(definition, () -> asked.incrementAndGet() > 1));
        assertEquals(2, asked.get(), "asked before each expression, stopped at the second");
    }
}
