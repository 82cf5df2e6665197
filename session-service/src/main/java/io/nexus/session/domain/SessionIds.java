package io.nexus.session.domain;

import java.security.SecureRandom;
import java.util.Base64;

/** Session ids: 128 bits from a CSPRNG, base64url without padding (22 characters), unguessable by design. */
public final class SessionIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private SessionIds() {
    }

    public static String newId() {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        return ENCODER.encodeToString(bits);
    }
}
