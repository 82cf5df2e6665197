package io.nexus.workflow.secrets;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES keys of {@code nexus.workflow.secrets.keys}, by id, and which one seals. Messages name key ids, never key
 * material.
 */
public final class SecretKeyRing {

    static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int KEY_BYTES = 32;

    private final Map<String, SecretKey> keys;
    private final String activeId;

    private SecretKeyRing(Map<String, SecretKey> keys, String activeId) {
        this.keys = Map.copyOf(keys);
        this.activeId = activeId;
    }

    /**
     * Reads {@code id:base64} entries; the active key is {@code active}, or the only key when there is one.
     *
     * @throws IllegalArgumentException what is wrong with the settings (no key material in the message)
     */
    public static SecretKeyRing parse(List<String> entries, Optional<String> active) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        for (String raw : entries) {
            String entry = raw.strip();
            int colon = entry.indexOf(':');
            String id = colon < 0 ? entry : entry.substring(0, colon);
            if (colon < 0 || !KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("a key of nexus.workflow.secrets.keys is not 'id:base64' with an "
                        + "id of letters, digits, '.', '_' or '-'");
            }
            byte[] material;
            try {
                material = Base64.getDecoder().decode(entry.substring(colon + 1).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("secrets key '" + id + "' is not valid base64");
            }
            if (material.length != KEY_BYTES) {
                throw new IllegalArgumentException("secrets key '" + id + "' has " + material.length
                        + " bytes, AES-256 needs " + KEY_BYTES);
            }
            if (keys.put(id, new SecretKeySpec(material, "AES")) != null) {
                throw new IllegalArgumentException("secrets key '" + id + "' is listed twice");
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("nexus.workflow.secrets.keys lists no key");
        }
        String activeId = active.map(String::strip).filter(id -> !id.isEmpty()).orElse(null);
        if (activeId == null) {
            if (keys.size() > 1) {
                throw new IllegalArgumentException("nexus.workflow.secrets.keys lists " + keys.size()
                        + " keys: set nexus.workflow.secrets.active-key to the one that seals");
            }
            activeId = keys.keySet().iterator().next();
        } else if (!keys.containsKey(activeId)) {
            throw new IllegalArgumentException("the active secrets key '" + activeId
                    + "' is not in nexus.workflow.secrets.keys");
        }
        return new SecretKeyRing(keys, activeId);
    }

    public String activeId() {
        return activeId;
    }

    SecretKey active() {
        return keys.get(activeId);
    }

    /** The key with this id; empty once it has been removed from the settings. */
    Optional<SecretKey> key(String id) {
        return Optional.ofNullable(keys.get(id));
    }
}
