package io.nexus.common.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

import io.nexus.common.http.Channel;
import io.nexus.common.testing.TestIdentities;

class IdentityTokensTest {

    private static final String KEY = "unit-test-identity-key-0123456789abcdef";
    private final IdentityTokens tokens = new IdentityTokens(TestIdentities.config(KEY, 60));

    @Test
    void roundTripsEveryClaimIncludingCharactersThatNeedEscaping() {
        CallerIdentity identity = new CallerIdentity("t-1", Role.DEVELOPER, "k-1", Channel.MCP, "s\"1\\x\n",
                "r-1");
        assertEquals(identity, tokens.verify(tokens.sign(identity)));
        CallerIdentity admin = new CallerIdentity(null, Role.PLATFORM_ADMIN, null, Channel.API, null, "r-2");
        assertEquals(admin, tokens.verify(tokens.sign(admin)));
    }

    @Test
    void whatItSignsIsAStandardJwtThatJose4jVerifies() throws Exception {
        String token = tokens.sign(TestIdentities.developer("t-9"));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token);
        jws.setKey(new HmacKey(KEY.getBytes()));
        assertEquals(true, jws.verifySignature());
        assertEquals(AlgorithmIdentifiers.HMAC_SHA256, jws.getAlgorithmHeaderValue());
        JwtClaims claims = JwtClaims.parse(jws.getPayload());
        assertEquals("t-9", claims.getStringClaimValue("tid"));
        assertEquals(java.util.List.of(TestIdentities.AUDIENCE), claims.getAudience());
        assertEquals(60, claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());
    }

    @Test
    void refusesOtherKeysTamperingNoneAndExpiry() {
        for (String forged : TestIdentities.forgeries(TestIdentities.developer("t-1"))) {
            IdentityTokens verifier = new IdentityTokens(TestIdentities.config(KEY, 60));
            assertThrows(InvalidIdentityException.class, () -> verifier.verify(forged), forged);
        }
        IdentityTokens old = new IdentityTokens(TestIdentities.config(KEY, 60),
                Clock.fixed(Instant.now().minus(Duration.ofMinutes(5)), ZoneOffset.UTC));
        assertThrows(InvalidIdentityException.class, () -> tokens.verify(old.sign(TestIdentities.developer("t"))));
        assertThrows(InvalidIdentityException.class, () -> tokens.verify(null));
        assertThrows(InvalidIdentityException.class, () -> tokens.verify("a.b.c"));
    }

    @Test
    void verifiesWhatAStandardLibrarySigns() throws Exception {
        JsonWebSignature jws = standardToken(KEY, AlgorithmIdentifiers.HMAC_SHA256, "nexus-gateway");
        assertEquals(new CallerIdentity("t-5", Role.VIEWER, "k-5", Channel.CLI, "s-5", "r-5"),
                tokens.verify(jws.getCompactSerialization()));
    }

    @Test
    void refusesOtherAlgorithmsIssuersShapesAndClaimTypes() throws Exception {
        assertThrows(InvalidIdentityException.class, () -> tokens.verify(
                standardToken(KEY + KEY, AlgorithmIdentifiers.HMAC_SHA512, "nexus-gateway").getCompactSerialization()));
        assertThrows(InvalidIdentityException.class, () -> tokens.verify(
                standardToken(KEY, AlgorithmIdentifiers.HMAC_SHA256, "somebody-else").getCompactSerialization()));
        String genuine = tokens.sign(TestIdentities.developer("t-1"));
        assertThrows(InvalidIdentityException.class, () -> tokens.verify(genuine + ".extra"));
        assertThrows(InvalidIdentityException.class, () -> tokens.verify(genuine.substring(0,
                genuine.lastIndexOf('.') + 1)));
        assertThrows(InvalidIdentityException.class, () -> tokens.verify("." + genuine));
        JwtClaims numericTenant = claims("nexus-gateway");
        numericTenant.setClaim("tid", 42);
        assertThrows(InvalidIdentityException.class, () -> tokens.verify(sign(numericTenant)));
        JwtClaims noExpiry = claims("nexus-gateway");
        noExpiry.unsetClaim("exp");
        assertThrows(InvalidIdentityException.class, () -> tokens.verify(sign(noExpiry)));
        JwtClaims unknownRole = claims("nexus-gateway");
        unknownRole.setClaim("role", "root");
        assertThrows(InvalidIdentityException.class, () -> tokens.verify(sign(unknownRole)));
    }

    @Test
    void refusesLifetimesOverSixtySecondsAndTokensForAnotherService() throws Exception {
        JwtClaims longLived = claims("nexus-gateway");
        longLived.setExpirationTimeMinutesInTheFuture(10);
        assertThrows(InvalidIdentityException.class, () -> tokens.verify(sign(longLived)),
                "exp - iat above 60 s");
        JwtClaims fromTheFuture = claims("nexus-gateway");
        fromTheFuture.setIssuedAt(org.jose4j.jwt.NumericDate.fromSeconds(Instant.now().getEpochSecond() + 600));
        fromTheFuture.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(Instant.now().getEpochSecond() + 630));
        assertThrows(InvalidIdentityException.class, () -> tokens.verify(sign(fromTheFuture)), "issued in the future");
        JwtClaims noAudience = claims("nexus-gateway");
        noAudience.unsetClaim("aud");
        assertThrows(InvalidIdentityException.class, () -> tokens.verify(sign(noAudience)), "no audience");
        JwtClaims elsewhere = claims("nexus-gateway");
        elsewhere.setAudience("session-service");
        assertThrows(InvalidIdentityException.class, () -> tokens.verify(sign(elsewhere)), "another audience");
        CallerIdentity developer = TestIdentities.developer("t-3");
        assertThrows(InvalidIdentityException.class,
                () -> tokens.verify(tokens.sign(developer, "session-service")));
        IdentityTokens sessionService = new IdentityTokens(TestIdentities.config(KEY, 60, "session-service"));
        assertEquals(developer, sessionService.verify(tokens.sign(developer, "session-service")));
        assertThrows(IllegalStateException.class, () -> new IdentityTokens(TestIdentities.config(KEY, 61)),
                "a configured lifetime above 60 s is refused at start");
    }

    private static JsonWebSignature standardToken(String key, String algorithm, String issuer) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims(issuer).toJson());
        jws.setAlgorithmHeaderValue(algorithm);
        jws.setKey(new HmacKey(key.getBytes()));
        return jws;
    }

    private static String sign(JwtClaims claims) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKey(new HmacKey(KEY.getBytes()));
        return jws.getCompactSerialization();
    }

    private static JwtClaims claims(String issuer) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(TestIdentities.AUDIENCE);
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(1);
        claims.setClaim("role", "viewer");
        claims.setClaim("tid", "t-5");
        claims.setClaim("kid", "k-5");
        claims.setClaim("ch", "cli");
        claims.setClaim("sid", "s-5");
        claims.setClaim("rid", "r-5");
        return claims;
    }

    @Test
    void refusesKeysShorterThan32Bytes() {
        assertThrows(IllegalStateException.class, () -> new IdentityTokens(TestIdentities.config("short", 60)));
    }
}
