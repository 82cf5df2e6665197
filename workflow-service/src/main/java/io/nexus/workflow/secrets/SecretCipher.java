package io.nexus.workflow.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

import io.nexus.workflow.domain.SealedSecret;

/**
 * AES-GCM over a secret's value: a random 96-bit nonce per sealing, a 128-bit tag, and the tenant id and the secret's
 * name as associated data, so a ciphertext moved to another tenant's or name's row does not open. Thread-safe.
 */
public final class SecretCipher {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final SecretKeyRing keys;
    private final SecureRandom random = new SecureRandom();

    public SecretCipher(SecretKeyRing keys) {
        this.keys = keys;
    }

    public SecretKeyRing keys() {
        return keys;
    }

    /** Seals with the active key. */
    public SealedSecret seal(UUID tenant, String name, String value) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, keys.active(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(tenant, name));
            return new SealedSecret(keys.activeId(), nonce,
                    cipher.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            // AES-GCM is in every JDK; this is a broken runtime, not a bad input.
            throw new IllegalStateException("AES-GCM is unavailable: " + e.getClass().getSimpleName());
        }
    }

    /**
     * The value, if {@code sealed} was sealed for this tenant and name with a key this ring still has.
     *
     * @throws Unreadable a changed ciphertext, nonce or row, or a key no longer configured
     */
    public String open(UUID tenant, String name, SealedSecret sealed) throws Unreadable {
        var key = keys.key(sealed.keyId()).orElseThrow(() -> new Unreadable("secret '" + name
                + "' is sealed with key '" + sealed.keyId() + "', which is not configured"));
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed.nonce()));
            cipher.updateAAD(associatedData(tenant, name));
            return new String(cipher.doFinal(sealed.ciphertext()), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new Unreadable("secret '" + name + "' does not decrypt (changed, or sealed for another row)");
        }
    }

    /** Whether the value is sealed with another key than the active one: re-encryption seals it again. */
    public boolean stale(SealedSecret sealed) {
        return !keys.activeId().equals(sealed.keyId());
    }

    private static byte[] associatedData(UUID tenant, String name) {
        return (tenant + "/" + name).getBytes(StandardCharsets.UTF_8);
    }

    /** A stored secret this replica cannot open; the message names the secret, never a value or key material. */
    public static final class Unreadable extends Exception {

        public Unreadable(String message) {
            super(message, null, false, false);
        }
    }
}
