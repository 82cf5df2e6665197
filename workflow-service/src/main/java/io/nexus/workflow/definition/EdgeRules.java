package io.nexus.workflow.definition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.nexus.workflow.definition.ExpressionFields.Expecting;
import io.nexus.workflow.expression.CompiledExpression;

/**
 * The {@code edges} rules: both ends are node ids, no self loops, no duplicate pair, no cycle; a {@code when} is a
 * bool expression. Each cycle is reported once, as the path through it from its first-declared node.
 */
final class EdgeRules {

    private static final Set<String> EDGE_FIELDS = Set.of("from", "to", "when");

    /** The edges in declaration order and their conditions (null = always taken), index for index. */
    record Edges(List<EdgeDefinition> edges, List<CompiledExpression> conditions) {
    }

    private final ExpressionFields expressionFields;
    private final Violations violations;

    EdgeRules(ExpressionFields expressionFields, Violations violations) {
        this.expressionFields = expressionFields;
        this.violations = violations;
    }

    /**
     * @param edgesArray the {@code edges} array, null when absent
     * @param nodeIds    every id the nodes declare, in declaration order
     */
    Edges read(JsonNode edgesArray, String path, List<String> nodeIds) {
        Set<String> known = new LinkedHashSet<>(nodeIds);
        List<EdgeDefinition> edges = new ArrayList<>();
        List<CompiledExpression> conditions = new ArrayList<>();
        Map<String, List<String>> successors = new LinkedHashMap<>();
        Map<String, Integer> firstIndexOfPair = new HashMap<>();
        if (edgesArray == null) {
            return new Edges(edges, conditions);
        }
        for (int i = 0; i < edgesArray.size(); i++) {
            String edgePath = FieldPaths.index(path, i);
            JsonNode edge = edgesArray.get(i);
            if (!edge.isObject()) {
                violations.add(edgePath, "must be an object, got " + JsonText.describe(edge));
                continue;
            }
            ObjectReader reader = new ObjectReader(edge, edgePath, violations);
            reader.allowOnly(EDGE_FIELDS);
            String from = reader.text("from", true).orElse(null);
            String to = reader.text("to", true).orElse(null);
            boolean endsKnown = true;
            if (from != null && !known.contains(from)) {
                violations.add(reader.path("from"), "edge source " + JsonText.quote(from) + " is not a node id");
                endsKnown = false;
            }
            if (to != null && !known.contains(to)) {
                violations.add(reader.path("to"), "edge target " + JsonText.quote(to) + " is not a node id");
                endsKnown = false;
            }
            JsonNode when = reader.raw("when");
            CompiledExpression condition = when == null ? null
                    : expressionFields.compile(when, reader.path("when"), Expecting.BOOL);
            if (from == null || to == null || !endsKnown) {
                continue;
            }
            if (from.equals(to)) {
                violations.add(edgePath, "edge from " + JsonText.quote(from) + " to itself");
                continue;
            }
            Integer earlier = firstIndexOfPair.putIfAbsent(from + "\u0000" + to, i);
            if (earlier != null) {
                violations.add(edgePath, "duplicate edge " + JsonText.quote(from) + " -> " + JsonText.quote(to)
                        + ", already declared as " + FieldPaths.index(path, earlier));
                continue;
            }
            successors.computeIfAbsent(from, id -> new ArrayList<>()).add(to);
            edges.add(new EdgeDefinition(from, to, when == null ? null : when.textValue()));
            conditions.add(condition);
        }
        for (List<String> cycle : new CycleFinder(nodeIds, successors).cycles()) {
            violations.add(path, "edges form a cycle: " + String.join(" -> ", cycle));
        }
        return new Edges(edges, conditions);
    }

    /** Tarjan's strongly connected components; one cycle reported per component with more than one node. */
    private static final class CycleFinder {
        private final List<String> nodeIds;
        private final Map<String, List<String>> successors;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> lowLink = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new HashSet<>();
        private final List<Set<String>> components = new ArrayList<>();
        private int counter;

        CycleFinder(List<String> nodeIds, Map<String, List<String>> successors) {
            this.nodeIds = nodeIds;
            this.successors = successors;
        }

        List<List<String>> cycles() {
            for (String id : nodeIds) {
                if (!index.containsKey(id)) {
                    connect(id);
                }
            }
            List<List<String>> cycles = new ArrayList<>();
            for (Set<String> component : components) {
                if (component.size() > 1) {
                    String start = nodeIds.stream().filter(component::contains).findFirst().orElseThrow();
                    cycles.add(shortestCycleThrough(start, component));
                }
            }
            cycles.sort((a, b) -> Integer.compare(nodeIds.indexOf(a.get(0)), nodeIds.indexOf(b.get(0))));
            return cycles;
        }

        /**
         * Tarjan's walk from {@code root} with an explicit stack of (node, next successor to look at): a recursive
         * walk overflowed the thread's stack on a chain of a few thousand nodes.
         */
        private void connect(String root) {
            Deque<String> path = new ArrayDeque<>();
            Map<String, Integer> nextSuccessor = new HashMap<>();
            visit(root, path, nextSuccessor);
            while (!path.isEmpty()) {
                String node = path.peek();
                List<String> next = successors.getOrDefault(node, List.of());
                int at = nextSuccessor.get(node);
                if (at < next.size()) {
                    nextSuccessor.put(node, at + 1);
                    String successor = next.get(at);
                    if (!index.containsKey(successor)) {
                        visit(successor, path, nextSuccessor);
                    } else if (onStack.contains(successor)) {
                        lowLink.put(node, Math.min(lowLink.get(node), index.get(successor)));
                    }
                    continue;
                }
                path.pop();
                if (lowLink.get(node).equals(index.get(node))) {
                    Set<String> component = new LinkedHashSet<>();
                    String member;
                    do {
                        member = stack.pop();
                        onStack.remove(member);
                        component.add(member);
                    } while (!member.equals(node));
                    components.add(component);
                }
                String parent = path.peek();
                if (parent != null) {
                    lowLink.put(parent, Math.min(lowLink.get(parent), lowLink.get(node)));
                }
            }
        }

        private void visit(String node, Deque<String> path, Map<String, Integer> nextSuccessor) {
            index.put(node, counter);
            lowLink.put(node, counter);
            counter++;
            stack.push(node);
            onStack.add(node);
            path.push(node);
            nextSuccessor.put(node, 0);
        }

        /** Breadth-first inside the component, so the reported cycle is as short as the graph allows. */
        private List<String> shortestCycleThrough(String start, Set<String> component) {
            Map<String, String> cameFrom = new HashMap<>();
            Deque<String> queue = new ArrayDeque<>(List.of(start));
            while (!queue.isEmpty()) {
                String node = queue.poll();
                for (String next : successors.getOrDefault(node, List.of())) {
                    if (next.equals(start)) {
                        List<String> path = new ArrayList<>(List.of(start));
                        for (String at = node; !at.equals(start); at = cameFrom.get(at)) {
                            path.add(at);
                        }
                        path.add(start);
                        Collections.reverse(path);
                        return path;
                    }
                    if (component.contains(next) && !cameFrom.containsKey(next)) {
                        cameFrom.put(next, node);
                        queue.add(next);
                    }
                }
            }
            throw new IllegalStateException("no cycle through " + start + " in its own component");
        }
    }
}
