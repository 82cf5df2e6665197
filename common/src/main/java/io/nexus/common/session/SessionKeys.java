package io.nexus.common.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * How a session lives in Redis, shared by session-service (which owns it) and the gateway (which touches it on every
 * request carrying {@code X-Nexus-Session}). A session is one hash, {@code <prefix>session:<id>}, expiring by Redis
 * TTL; its fields are {@code tenant}, {@code user}, {@code channels} (comma-separated, first-use order),
 * {@code created} and {@code activity} (epoch ms), {@code ttl} (seconds), {@code version} (of the data, the ETag),
 * {@code size} (bytes of the data's members) and one field per top-level data member, {@code d:<JSON-encoded name>}
 * holding that member's JSON text. Sessions used since the last write-behind to PostgreSQL are in the set
 * {@code <prefix>sessions:dirty}.
 */
public final class SessionKeys {

    /** Default prefix of every session key; tests and shared Redis servers use their own. */
    public static final String DEFAULT_PREFIX = "nexus:";
    /** 128 random bits, base64url without padding. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{22}");
    /** Answers of {@link #TOUCH_SCRIPT}. */
    public static final long TOUCHED = 1;
    public static final long NOT_IN_REDIS = 0;
    public static final long OTHER_TENANT = -1;
    /** Records the channel and slides the expiry: see lua/session-touch.lua for its keys and arguments. */
    public static final String TOUCH_SCRIPT = load("/lua/session-touch.lua");

    private SessionKeys() {
    }

    public static boolean isSessionId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public static String session(String prefix, String id) {
        return prefix + "session:" + id;
    }

    public static String dirty(String prefix) {
        return prefix + "sessions:dirty";
    }

    private static String load(String resource) {
        try (InputStream in = SessionKeys.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the common module");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
