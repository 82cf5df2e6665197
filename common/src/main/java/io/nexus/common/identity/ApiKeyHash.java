package io.nexus.common.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of an API key: how tenant-service stores keys and how the gateway names them when it resolves one (hex
 * on the wire), so that keys themselves never travel past the edge. Defined once for both sides.
 */
public final class ApiKeyHash {

    private ApiKeyHash() {
    }

    public static byte[] of(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    public static String hex(String key) {
        return HexFormat.of().formatHex(of(key));
    }
}
