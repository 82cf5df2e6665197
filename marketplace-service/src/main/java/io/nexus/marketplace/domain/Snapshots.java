package io.nexus.marketplace.domain;

import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What of a workflow definition goes into the marketplace. Everything, except the values of {@code http} nodes'
 * {@code headers}: they are where credentials end up ({@code "'Bearer ' + 'sk-…'"}), and an item is readable by every
 * tenant. Each value becomes the CEL expression {@code ''} (an empty string), so the snapshot is still a valid
 * definition and shows which headers the workflow sends; an installer fills in its own. One kind of value is kept:
 * a reference to a tenant secret, alone or after an authorization scheme ({@code "'Bearer ' + secrets.API_TOKEN"}). It
 * holds no credential, only a name; each installing tenant's own secret of that name is what its executions send.
 */
public final class Snapshots {

    /** The CEL expression a stripped header value becomes. */
    public static final String STRIPPED_HEADER = "''";

    private Snapshots() {
    }

    /** A secret reference, optionally after a scheme word in quotes: nothing else, so no literal credential fits. */
    private static final Pattern SECRET_REFERENCE = Pattern.compile(
            "\\s*(?:(['\"])(?:Bearer|Basic|Token|Bot|ApiKey)? ?\\1\\s*\\+\\s*)?"
                    + "secrets(?:\\.[A-Za-z_][A-Za-z0-9_]{0,63}|\\[(['\"])[A-Za-z_][A-Za-z0-9_]{0,63}\\2\\])\\s*");

    /** Whether a header value may stay in a snapshot: a secret reference ({@link #SECRET_REFERENCE}). */
    static boolean isSecretReference(String expression) {
        return SECRET_REFERENCE.matcher(expression).matches();
    }

    /** A copy of {@code definition} with every {@code http} node's header values stripped, but secret references. */
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
                    Map.Entry<String, JsonNode> header = it.next();
                    if (!header.getValue().isTextual() || !isSecretReference(header.getValue().textValue())) {
                        header.setValue(writable.textNode(STRIPPED_HEADER));
                    }
                }
            }
        }
        return copy;
    }
}
