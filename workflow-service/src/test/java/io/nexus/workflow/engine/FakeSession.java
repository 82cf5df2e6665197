package io.nexus.workflow.engine;

import java.util.function.Function;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One session as session-service keeps it, for {@link FakeRunServices}: a read answers its data, a merge applies the
 * patch as RFC 7386 does (a null member deletes the key, an object merges into an object) and answers the result.
 */
final class FakeSession implements Function<ObjectNode, NodeOutcome> {

    final ObjectNode data = JsonNodeFactory.instance.objectNode();

    FakeSession with(String field, Object value) {
        data.set(field, RunHarness.MAPPER.valueToTree(value));
        return this;
    }

    @Override
    public NodeOutcome apply(ObjectNode patch) {
        if (patch != null) {
            merge(data, patch);
        }
        return NodeOutcome.success(data.deepCopy());
    }

    private static void merge(ObjectNode target, ObjectNode patch) {
        patch.properties().forEach(member -> {
            if (member.getValue().isNull()) {
                target.remove(member.getKey());
            } else if (member.getValue().isObject() && target.get(member.getKey()) instanceof ObjectNode inner) {
                merge(inner, (ObjectNode) member.getValue());
            } else {
                target.set(member.getKey(), member.getValue().deepCopy());
            }
        });
    }
}
