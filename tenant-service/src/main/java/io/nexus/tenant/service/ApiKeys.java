package io.nexus.tenant.service;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import io.nexus.common.identity.ApiKeyHash;

/**
 * API keys: {@code nxk_} followed by 32 random bytes (base64url), so the prefix tells what the string is; stored as
 * SHA-256 of the whole key. The visible prefix ({@code nxk_} and 8 more characters) identifies a key in lists without
 * revealing it.
 */
public final class ApiKeys {

    public static final String PREFIX = "nxk_";
    private static final int RANDOM_BYTES = 32;
    private static final int VISIBLE_CHARACTERS = PREFIX.length() + 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    public static String generate() {
        byte[] random = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(random);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    public static String visiblePrefix(String key) {
        return key.substring(0, VISIBLE_CHARACTERS);
    }

    public static byte[] sha256(String key) {
        return ApiKeyHash.of(key);
    }


    /** Constant-time comparison, so that the time taken says nothing about how much of a hash matched. */
    public static boolean sameHash(byte[] expected, byte[] actual) {
        return MessageDigest.isEqual(expected, actual);
    }
}
