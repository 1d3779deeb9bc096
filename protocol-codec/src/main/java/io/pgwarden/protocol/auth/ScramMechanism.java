package io.pgwarden.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A SCRAM mechanism (RFC 5802 section 2.2) and its hash function. PostgreSQL speaks only
 * SCRAM-SHA-256; SCRAM-SHA-1 is here so the RFC 5802 test vector can prove the generic code.
 */
public enum ScramMechanism {
    /** RFC 5802. */
    SCRAM_SHA_1("SCRAM-SHA-1", "SHA-1", "HmacSHA1", 20),
    /** RFC 7677; the only mechanism PostgreSQL offers without channel binding. */
    SCRAM_SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256", 32);

    private static final byte[] CLIENT_KEY = "Client Key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_KEY = "Server Key".getBytes(StandardCharsets.US_ASCII);

    private final String mechanismName;
    private final String digestAlgorithm;
    private final String hmacAlgorithm;
    private final int keyLength;

    ScramMechanism(String mechanismName, String digestAlgorithm, String hmacAlgorithm, int keyLength) {
        this.mechanismName = mechanismName;
        this.digestAlgorithm = digestAlgorithm;
        this.hmacAlgorithm = hmacAlgorithm;
        this.keyLength = keyLength;
    }

    /** The SASL mechanism name, as in AuthenticationSASL and SASLInitialResponse. */
    public String mechanismName() {
        return mechanismName;
    }

    /** Length in bytes of keys, proofs and signatures: the hash output length. */
    public int keyLength() {
        return keyLength;
    }

    /** Hi(password, salt, i) of RFC 5802: PBKDF2 with HMAC of this hash, one block. */
    byte[] saltedPassword(byte[] password, byte[] salt, int iterations) {
        final Mac mac = mac(password);
        mac.update(salt);
        mac.update(new byte[] {0, 0, 0, 1});
        final byte[] u = mac.doFinal();
        final byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            mac.update(u);
            try {
                mac.doFinal(u, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC output buffer too small", e);
            }
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    byte[] clientKey(byte[] saltedPassword) {
        return hmac(saltedPassword, CLIENT_KEY);
    }

    byte[] serverKey(byte[] saltedPassword) {
        return hmac(saltedPassword, SERVER_KEY);
    }

    byte[] hmac(byte[] key, byte[] message) {
        return mac(key).doFinal(message);
    }

    byte[] hash(byte[] input) {
        try {
            return MessageDigest.getInstance(digestAlgorithm).digest(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime provides " + digestAlgorithm, e);
        }
    }

    private Mac mac(byte[] key) {
        try {
            final Mac mac = Mac.getInstance(hmacAlgorithm);
            // HMAC pads its key with zeros, so an empty key and a single zero byte are the same
            // key; SecretKeySpec refuses empty keys.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, hmacAlgorithm));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime provides " + hmacAlgorithm, e);
        }
    }

    static byte[] xor(byte[] a, byte[] b) {
        final byte[] result = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            result[i] = (byte) (a[i] ^ b[i]);
        }
        return result;
    }
}
