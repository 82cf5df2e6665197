package io.nexus.common.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jose4j.jws.AlgorithmIdentifiers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nexus.common.http.Channel;

/**
 * Signs and verifies {@code X-Nexus-Identity}: an HS256 JWT with the claims {@code tid}, {@code role}, {@code kid},
 * {@code ch}, {@code sid}, {@code rid}, the audience {@code aud} (the one service it is for) and a lifetime of at most
 * {@link #MAX_LIFETIME} (docs/api.md §2.9). Only HS256 is accepted, so a token with {@code alg: none} or another
 * algorithm is refused whatever it claims.
 */
@Singleton
public class IdentityTokens {

    public static final String HEADER = "X-Nexus-Identity";
    private static final String ISSUER = "nexus-gateway";
    private static final int MIN_KEY_BYTES = 32;
    /** Longest {@code exp - iat} a service accepts: a token is for one request, not a credential to keep. */
    public static final Duration MAX_LIFETIME = Duration.ofSeconds(60);

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder BASE64URL_DECODER = Base64.getUrlDecoder();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENCODED_HEADER = BASE64URL.encodeToString(
            "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.US_ASCII));

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;
    private final IdentityConfig config;
    private final Clock clock;

    @Inject
    public IdentityTokens(IdentityConfig config) {
        this(config, Clock.systemUTC());
    }

    public IdentityTokens(IdentityConfig config, Clock clock) {
        byte[] secret = config.key().getBytes(StandardCharsets.UTF_8);
        if (secret.length < MIN_KEY_BYTES) {
            throw new IllegalStateException("nexus.identity.key (NEXUS_INTERNAL_KEY) must be at least "
                    + MIN_KEY_BYTES + " bytes");
        }
        if (config.lifetime().compareTo(MAX_LIFETIME) > 0 || config.lifetime().isNegative()) {
            throw new IllegalStateException("nexus.identity.lifetime must be between 0 and " + MAX_LIFETIME.toSeconds()
                    + " s: services refuse longer-lived identities");
        }
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
            }
        });
        this.config = config;
        this.clock = clock;
    }

    /**
     * Signs an identity addressed to this service itself ({@link IdentityConfig#audience()}): what a test uses to call
     * the service under test. A call to another service uses {@link #sign(CallerIdentity, String)}.
     */
    public String sign(CallerIdentity identity) {
        return sign(identity, config.audience());
    }

    /**
     * Signs an identity for the service named {@code audience} (its {@code quarkus.application.name}), which alone
     * accepts it. The gateway does this on every request, so the token is assembled directly (compact JSON, a
     * per-thread HMAC) rather than through the JOSE object model; it is a standard HS256 JWT (a test verifies it with
     * jose4j).
     */
    public String sign(CallerIdentity identity, String audience) {
        long now = clock.instant().getEpochSecond();
        StringBuilder claims = new StringBuilder(256)
                .append("{\"iss\":\"").append(ISSUER)
                .append("\",\"aud\":\"").append(audience)
                .append("\",\"iat\":").append(now)
                .append(",\"exp\":").append(now + config.lifetime().toSeconds())
                .append(",\"role\":\"").append(identity.role().wire()).append('"');
        appendClaim(claims, "tid", identity.tenantId());
        appendClaim(claims, "kid", identity.keyId());
        appendClaim(claims, "ch", identity.channel() == null ? null : identity.channel().label());
        appendClaim(claims, "sid", identity.sessionId());
        appendClaim(claims, "rid", identity.requestId());
        claims.append('}');
        String signingInput = ENCODED_HEADER + "." + BASE64URL.encodeToString(
                claims.toString().getBytes(StandardCharsets.UTF_8));
        byte[] signature = macs.get().doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + BASE64URL.encodeToString(signature);
    }

    private static void appendClaim(StringBuilder claims, String name, String value) {
        if (value == null) {
            return;
        }
        claims.append(",\"").append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> claims.append("\\\"");
                case '\\' -> claims.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        claims.append(String.format("\\u%04x", (int) c));
                    } else {
                        claims.append(c);
                    }
                }
            }
        }
        claims.append('"');
    }

    /**
     * The identity a valid token carries; throws {@link InvalidIdentityException} for anything else. Every service
     * verifies on every request, so this is the JWS check written out rather than jose4j's general-purpose consumer
     * (a fifth of session-service's CPU per request went there): exactly three parts, a header whose {@code alg} is
     * HS256 and nothing critical, the HMAC compared in constant time before the claims are even read, then
     * {@code iss}, {@code exp} (with the allowed skew) and {@code iat} as the consumer checked them, then what the
     * consumer did not: a lifetime of at most {@link #MAX_LIFETIME}, not issued in the future, and {@code aud} equal to
     * this service's own name. Tokens signed by
     * jose4j or any other standard library verify the same way (the tests hold both to it).
     */
    public CallerIdentity verify(String token) {
        if (token == null || token.isBlank()) {
            throw new InvalidIdentityException("missing internal identity");
        }
        int headerEnd = token.indexOf('.');
        int payloadEnd = headerEnd < 0 ? -1 : token.indexOf('.', headerEnd + 1);
        if (headerEnd <= 0 || payloadEnd <= headerEnd + 1 || payloadEnd == token.length() - 1
                || token.indexOf('.', payloadEnd + 1) >= 0) {
            throw invalid();
        }
        try {
            JsonNode header = JSON.readTree(BASE64URL_DECODER.decode(token.substring(0, headerEnd)));
            if (header == null || !header.isObject() || !header.path("alg").isTextual()
                    || !AlgorithmIdentifiers.HMAC_SHA256.equals(header.get("alg").asText()) || header.has("crit")) {
                throw invalid();
            }
            byte[] expected = macs.get().doFinal(token.substring(0, payloadEnd).getBytes(StandardCharsets.US_ASCII));
            byte[] presented = BASE64URL_DECODER.decode(token.substring(payloadEnd + 1));
            if (!MessageDigest.isEqual(expected, presented)) {
                throw invalid();
            }
            JsonNode claims = JSON.readTree(BASE64URL_DECODER.decode(token.substring(headerEnd + 1, payloadEnd)));
            if (claims == null || !claims.isObject() || !ISSUER.equals(text(claims, "iss"))
                    || !claims.path("iat").isNumber() || !claims.path("exp").isNumber()) {
                throw invalid();
            }
            long now = clock.instant().getEpochSecond();
            long issuedAt = claims.get("iat").asLong();
            long expires = claims.get("exp").asLong();
            long skew = config.clockSkew().toSeconds();
            if (now >= expires + skew || issuedAt > now + skew || expires - issuedAt > MAX_LIFETIME.toSeconds()
                    || !config.audience().equals(text(claims, "aud"))) {
                throw invalid();
            }
            Role role = Role.fromWire(text(claims, "role"));
            String channel = text(claims, "ch");
            return new CallerIdentity(text(claims, "tid"), role, text(claims, "kid"),
                    channel == null ? Channel.API : Channel.parseOrDefault(channel), text(claims, "sid"),
                    text(claims, "rid"));
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw invalid();
        }
    }

    /** A string claim, null when absent; any other type makes the token invalid. */
    private static String text(JsonNode claims, String name) {
        JsonNode value = claims.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(name + " is not a string");
        }
        return value.asText();
    }

    private static InvalidIdentityException invalid() {
        return new InvalidIdentityException("invalid internal identity");
    }

}
