package io.nexus.common.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import io.nexus.common.http.Channel;
import io.nexus.common.identity.CallerIdentity;
import io.nexus.common.identity.IdentityConfig;
import io.nexus.common.identity.IdentityTokens;
import io.nexus.common.identity.Role;

/** Identities as the gateway forwards them, and the forgeries a service must refuse. */
public final class TestIdentities {

    private TestIdentities() {
    }

    public static CallerIdentity of(Role role, String tenantId) {
        return new CallerIdentity(tenantId, role, tenantId == null ? null : "key-" + tenantId, Channel.API, null,
                "test-request");
    }

    public static CallerIdentity platformAdmin() {
        return of(Role.PLATFORM_ADMIN, null);
    }

    public static CallerIdentity developer(String tenantId) {
        return of(Role.DEVELOPER, tenantId);
    }

    public static CallerIdentity service() {
        return of(Role.SERVICE, null);
    }

    /** Tokens for {@code identity} that no service may accept: wrong key, no signature, tampered, expired. */
    public static List<String> forgeries(CallerIdentity identity) {
        IdentityTokens wrongKey = new IdentityTokens(config("an-attacker-chosen-key-that-is-long-enough", 60));
        String genuine = new IdentityTokens(config("another-key-for-building-tampered-tokens!!", 60)).sign(identity);
        String[] parts = genuine.split("\\.");
        String unsigned = base64("{\"alg\":\"none\"}") + "." + parts[1] + ".";
        String tampered = parts[0] + "." + base64(new String(Base64.getUrlDecoder().decode(parts[1]),
                StandardCharsets.UTF_8).replace("\"developer\"", "\"admin\"")) + "." + parts[2];
        String currentKey = currentKeyOr("unit-test-identity-key-0123456789abcdef");
        IdentityTokens expired = new IdentityTokens(config(currentKey, 60, currentAudienceOr(AUDIENCE)),
                java.time.Clock.fixed(Instant.now().minus(Duration.ofMinutes(10)), java.time.ZoneOffset.UTC));
        // The right key, in time, but addressed to another service: a token taken from one service's traffic.
        String elsewhere = new IdentityTokens(config(currentKey, 60)).sign(identity, "another-service");
        return List.of(wrongKey.sign(identity), unsigned, tampered, expired.sign(identity), elsewhere);
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The audience of {@link #config(String, long)}: the service a unit test plays. */
    public static final String AUDIENCE = "unit-test-service";

    public static IdentityConfig config(String key, long lifetimeSeconds) {
        return config(key, lifetimeSeconds, AUDIENCE);
    }

    public static IdentityConfig config(String key, long lifetimeSeconds, String audience) {
        return new IdentityConfig() {
            @Override
            public String key() {
                return key;
            }

            @Override
            public Duration lifetime() {
                return Duration.ofSeconds(Math.abs(lifetimeSeconds));
            }

            @Override
            public Duration clockSkew() {
                return Duration.ofSeconds(5);
            }

            @Override
            public boolean required() {
                return true;
            }

            @Override
            public String audience() {
                return audience;
            }
        };
    }

    /** The audience the application under test verifies (its own name). */
    static String currentAudienceOr(String fallback) {
        try {
            return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                    .getOptionalValue("nexus.identity.audience", String.class)
                    .or(() -> org.eclipse.microprofile.config.ConfigProvider.getConfig()
                            .getOptionalValue("quarkus.application.name", String.class))
                    .orElse(fallback);
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    /** The key the application under test verifies with (so that only the expiry makes that forgery invalid). */
    public static String currentKeyOr(String fallback) {
        try {
            Optional<String> key = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                    .getOptionalValue("nexus.identity.key", String.class);
            return key.orElse(fallback);
        } catch (RuntimeException e) {
            return fallback;
        }
    }
}
