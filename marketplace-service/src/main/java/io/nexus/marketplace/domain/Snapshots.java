package io.nexus.marketplace.domain;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What of a workflow definition goes into the marketplace. Everything, except the values of {@code http} nodes'
 * {@code headers}: they are where credentials end up ({@code "'Bearer ' + 'sk-…'"}), and an item is readable by every
 * tenant. Each value becomes the CEL expression {@code ''} (an empty string), so the snapshot is still a valid
 * definition and shows which headers the workflow sends; an installer fills in its own.
 */
public final class Snapshots {

    /** The CEL expression a stripped header value becomes. */
    public static final String STRIPPED_HEADER = "''";

    private Snapshots() {
    }

    /** A copy of {@code definition} with every {@code http} node's header values stripped. */
    public static ObjectNode withoutSecrets(ObjectNode definition) {
        ObjectNode copy = definition.deepCopy();
        JsonNode nodes = copy.get("nodes");
        if (nodes == null || !nodes.isArray()) {
            return copy;
        }
        for (JsonNode node : nodes) {
            JsonNode headers = node.path("config").path("headers");
            if ("http".equals(node.path("type").asText()) && headers.isObject()) {
                ObjectNode writable = (ObjectNode) headers;
                for (Iterator<Map.Entry<String, JsonNode>> it = writable.fields(); it.hasNext();) {
                    it.next().setValue(writable.textNode(STRIPPED_HEADER));
                }
            }
        }
        return copy;
    }
}
