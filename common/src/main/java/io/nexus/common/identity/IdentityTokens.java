package io.nexus.common.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwa.AlgorithmConstraints;

import io.nexus.common.http.Channel;

/**
 * Signs and verifies {@code X-Nexus-Identity}: an HS256 JWT with the claims {@code tid}, {@code role}, {@code kid},
 * {@code ch}, {@code sid}, {@code rid} and a short lifetime (docs/api.md §2). Only HS256 is accepted, so a token with
 * {@code alg: none} or another algorithm is refused whatever it claims.
 */
@ApplicationScoped
public class IdentityTokens {

    public static final String HEADER = "X-Nexus-Identity";
    private static final String ISSUER = "nexus-gateway";
    private static final int MIN_KEY_BYTES = 32;

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String ENCODED_HEADER = BASE64URL.encodeToString(
            "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.US_ASCII));

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;
    private final IdentityConfig config;
    private final JwtConsumer consumer;
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
        this.consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setExpectedIssuer(ISSUER)
                .setAllowedClockSkewInSeconds((int) config.clockSkew().toSeconds())
                .setVerificationKey(key)
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.HMAC_SHA256)
                .build();
    }

    /**
     * Signs an identity. The gateway does this on every request, so the token is assembled directly (compact JSON,
     * a per-thread HMAC) rather than through the JOSE object model; it is a standard HS256 JWT, and services verify it
     * with jose4j like any other.
     */
    public String sign(CallerIdentity identity) {
        long now = clock.instant().getEpochSecond();
        StringBuilder claims = new StringBuilder(256)
                .append("{\"iss\":\"").append(ISSUER)
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

    /** The identity a valid token carries; throws {@link InvalidIdentityException} for anything else. */
    public CallerIdentity verify(String token) {
        if (token == null || token.isBlank()) {
            throw new InvalidIdentityException("missing internal identity");
        }
        try {
            JwtClaims claims = consumer.processToClaims(token);
            Role role = Role.fromWire(claims.getStringClaimValue("role"));
            String channel = claims.getStringClaimValue("ch");
            return new CallerIdentity(claims.getStringClaimValue("tid"), role, claims.getStringClaimValue("kid"),
                    channel == null ? Channel.API : Channel.parseOrDefault(channel),
                    claims.getStringClaimValue("sid"), claims.getStringClaimValue("rid"));
        } catch (InvalidJwtException | MalformedClaimException | IllegalArgumentException e) {
            throw new InvalidIdentityException("invalid internal identity");
        }
    }

}
