package io.nexus.common.identity;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;

import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.lang.JoseException;

import io.nexus.common.http.Channel;

/**
 * Signs and verifies {@code X-Nexus-Identity}: an HS256 JWT with the claims {@code tid}, {@code role}, {@code kid},
 * {@code ch}, {@code sid}, {@code rid} and a short lifetime (CONTRACT §2). Only HS256 is accepted, so a token with
 * {@code alg: none} or another algorithm is refused whatever it claims.
 */
@ApplicationScoped
public class IdentityTokens {

    public static final String HEADER = "X-Nexus-Identity";
    private static final String ISSUER = "nexus-gateway";
    private static final int MIN_KEY_BYTES = 32;

    private final SecretKeySpec key;
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

    public String sign(CallerIdentity identity) {
        Instant now = clock.instant();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setIssuedAt(org.jose4j.jwt.NumericDate.fromMilliseconds(now.toEpochMilli()));
        claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromMilliseconds(
                now.plus(config.lifetime()).toEpochMilli()));
        claims.setClaim("role", identity.role().wire());
        putIfPresent(claims, "tid", identity.tenantId());
        putIfPresent(claims, "kid", identity.keyId());
        putIfPresent(claims, "ch", identity.channel() == null ? null : identity.channel().label());
        putIfPresent(claims, "sid", identity.sessionId());
        putIfPresent(claims, "rid", identity.requestId());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKey(key);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign an identity", e);
        }
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

    private static void putIfPresent(JwtClaims claims, String name, String value) {
        if (value != null) {
            claims.setClaim(name, value);
        }
    }
}
