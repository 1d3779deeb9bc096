package io.pgwarden.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * PostgreSQL's MD5 password scheme. The server stores {@code "md5" + md5hex(password + user)};
 * for AuthenticationMD5Password it sends a 4-byte salt and expects
 * {@code "md5" + md5hex(md5hex(password + user) + salt)} in the PasswordMessage.
 * Strings are encoded as UTF-8.
 *
 * @see <a href="https://www.postgresql.org/docs/current/auth-password.html">Password Authentication</a>
 */
public final class Md5Password {

    /** The length of the salt in AuthenticationMD5Password. */
    public static final int SALT_LENGTH = 4;

    private static final String PREFIX = "md5";
    /** "md5" followed by 32 hex digits. */
    private static final int HASH_LENGTH = PREFIX.length() + 32;
    private static final HexFormat HEX = HexFormat.of();

    private Md5Password() {
    }

    /** The hash PostgreSQL stores in {@code pg_authid.rolpassword}: {@code "md5" + md5hex(password + user)}. */
    public static String encrypt(String user, String password) {
        return PREFIX + md5Hex(utf8(password + user));
    }

    /** The PasswordMessage content a client sends for this user, password and salt. */
    public static String saltedResponse(String user, String password, byte[] salt) {
        return saltedResponseFromStored(encrypt(user, password), salt);
    }

    /**
     * The PasswordMessage content expected from a client, computed from the stored hash as a
     * server does (the password itself is not needed).
     *
     * @throws IllegalArgumentException if {@code storedHash} is not an MD5 hash or the salt is not 4 bytes
     */
    public static String saltedResponseFromStored(String storedHash, byte[] salt) {
        if (!isMd5Hash(storedHash)) {
            throw new IllegalArgumentException("not an MD5 password hash");
        }
        if (salt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("MD5 salt must be " + SALT_LENGTH + " bytes, got " + salt.length);
        }
        final byte[] inner = utf8(storedHash.substring(PREFIX.length()));
        final byte[] salted = new byte[inner.length + SALT_LENGTH];
        System.arraycopy(inner, 0, salted, 0, inner.length);
        System.arraycopy(salt, 0, salted, inner.length, SALT_LENGTH);
        return PREFIX + md5Hex(salted);
    }

    /** Whether a client's response matches the stored hash, compared in constant time. */
    public static boolean verify(String storedHash, byte[] salt, String response) {
        return MessageDigest.isEqual(utf8(saltedResponseFromStored(storedHash, salt)), utf8(response));
    }

    /** Whether {@code value} has the form of a stored MD5 hash: "md5" and 32 lowercase hex digits. */
    public static boolean isMd5Hash(String value) {
        if (value.length() != HASH_LENGTH || !value.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < HASH_LENGTH; i++) {
            final char c = value.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static String md5Hex(byte[] input) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("MD5").digest(input));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides MD5", e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
