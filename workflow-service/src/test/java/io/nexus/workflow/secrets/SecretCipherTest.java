package io.nexus.workflow.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.nexus.workflow.domain.SealedSecret;

/** AES-GCM sealing of secret values: authenticated, bound to its row, and readable across a key rotation. */
class SecretCipherTest {

    private static final UUID TENANT = UUID.randomUUID();
    private static final String OLD = "k1:" + key();
    private static final String NEW = "k2:" + key();

    private final SecretCipher cipher = new SecretCipher(SecretKeyRing.parse(List.of(OLD), Optional.empty()));

    @Test
    void aSealedValueOpensForItsRowAndIsNotStoredInClear() throws Exception {
        SealedSecret sealed = cipher.seal(TENANT, "API_TOKEN", "sk-live-123");

        assertEquals("k1", sealed.keyId());
        assertEquals(12, sealed.nonce().length);
        assertFalse(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1).contains("sk-live-123"));
        assertEquals("sk-live-123", cipher.open(TENANT, "API_TOKEN", sealed));
    }

    @Test
    void everySealingHasItsOwnNonce() {
        SealedSecret first = cipher.seal(TENANT, "A", "same");
        SealedSecret second = cipher.seal(TENANT, "A", "same");

        assertFalse(java.util.Arrays.equals(first.nonce(), second.nonce()));
        assertFalse(java.util.Arrays.equals(first.ciphertext(), second.ciphertext()));
    }

    @Test
    void aChangedCiphertextOrNonceDoesNotOpen() {
        SealedSecret sealed = cipher.seal(TENANT, "A", "value");
        byte[] ciphertext = sealed.ciphertext().clone();
        ciphertext[0] ^= 1;
        byte[] nonce = sealed.nonce().clone();
        nonce[5] ^= 1;

        assertThrows(SecretCipher.Unreadable.class,
                () -> cipher.open(TENANT, "A", new SealedSecret("k1", sealed.nonce(), ciphertext)));
        assertThrows(SecretCipher.Unreadable.class,
                () -> cipher.open(TENANT, "A", new SealedSecret("k1", nonce, sealed.ciphertext())));
    }

    @Test
    void aCiphertextMovedToAnotherTenantOrNameDoesNotOpen() {
        SealedSecret sealed = cipher.seal(TENANT, "A", "value");

        SecretCipher.Unreadable otherTenant = assertThrows(SecretCipher.Unreadable.class,
                () -> cipher.open(UUID.randomUUID(), "A", sealed));
        assertThrows(SecretCipher.Unreadable.class, () -> cipher.open(TENANT, "B", sealed));
        assertFalse(otherTenant.getMessage().contains("value"));
    }

    @Test
    void afterARotationOldValuesStillOpenNewOnesUseTheNewKeyAndReEncryptionMovesThem() throws Exception {
        SealedSecret old = cipher.seal(TENANT, "A", "value");
        SecretCipher rotated = new SecretCipher(SecretKeyRing.parse(List.of(OLD, NEW), Optional.of("k2")));

        assertTrue(rotated.stale(old));
        assertEquals("value", rotated.open(TENANT, "A", old));
        SealedSecret resealed = rotated.seal(TENANT, "A", rotated.open(TENANT, "A", old));
        assertEquals("k2", resealed.keyId());
        assertFalse(rotated.stale(resealed));

        SecretCipher withoutOld = new SecretCipher(SecretKeyRing.parse(List.of(NEW), Optional.empty()));
        assertEquals("value", withoutOld.open(TENANT, "A", resealed));
        SecretCipher.Unreadable removed = assertThrows(SecretCipher.Unreadable.class,
                () -> withoutOld.open(TENANT, "A", old));
        assertTrue(removed.getMessage().contains("'k1'"), removed.getMessage());
    }

    @Test
    void keySettingsAreCheckedWithoutShowingKeyMaterial() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class,
                () -> SecretKeyRing.parse(List.of("k1:" + shortKey), Optional.empty()));
        assertFalse(tooShort.getMessage().contains(shortKey));
        assertThrows(IllegalArgumentException.class, () -> SecretKeyRing.parse(List.of("k1:not base64!"),
                Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> SecretKeyRing.parse(List.of(OLD, NEW), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> SecretKeyRing.parse(List.of(OLD), Optional.of("k9")));
        assertThrows(IllegalArgumentException.class, () -> SecretKeyRing.parse(List.of(OLD, OLD), Optional.empty()));
        assertNotEquals(OLD, NEW);
    }

    @Test
    void redactionMasksEveryVerbatimCopyLongestFirst() {
        SecretRedaction redaction = SecretRedaction.of(List.of("abc", "abcdef", ""));

        assertEquals("x *** y ***", redaction.text("x abcdef y abc"));
        var json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        json.putArray("list").add("Bearer abcdef");
        json.put("abc", 1);
        assertEquals("{\"list\":[\"Bearer ***\"],\"***\":1}", redaction.json(json).toString());
    }

    private static String key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
