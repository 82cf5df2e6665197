package io.nexus.gateway.auth;

import java.util.Locale;
import java.util.regex.Pattern;

import io.vertx.core.http.HttpServerRequest;

/**
 * The API key a request presents, as {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>} (docs/api.md §2).
 * Anything else — no key, an empty one, another scheme, characters no key has, two different keys — is no key.
 */
public final class Credentials {

    public static final String API_KEY_HEADER = "X-API-Key";
    private static final String BEARER = "bearer ";
    private static final Pattern KEY_SHAPE = Pattern.compile("[A-Za-z0-9._~+/=-]{16,256}");

    private Credentials() {
    }

    /** The key, or null with {@code problem} describing why there is none. */
    public static String extract(HttpServerRequest request, StringBuilder problem) {
        String authorization = request.getHeader("Authorization");
        String apiKeyHeader = request.getHeader(API_KEY_HEADER);
        String bearer = null;
        if (authorization != null) {
            if (!authorization.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
                problem.append("the Authorization header must use the Bearer scheme");
                return null;
            }
            bearer = authorization.substring(BEARER.length()).trim();
        }
        if (bearer != null && apiKeyHeader != null && !bearer.equals(apiKeyHeader.trim())) {
            problem.append("Authorization and X-API-Key name different keys");
            return null;
        }
        String key = bearer != null ? bearer : apiKeyHeader == null ? null : apiKeyHeader.trim();
        if (key == null || key.isEmpty()) {
            problem.append("an API key is required (Authorization: Bearer <key> or X-API-Key)");
            return null;
        }
        if (!KEY_SHAPE.matcher(key).matches()) {
            problem.append("the API key is malformed");
            return null;
        }
        return key;
    }
}
