package io.pgwarden.protocol.auth;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * What a server stores to verify SCRAM clients without knowing the password, in PostgreSQL's
 * {@code pg_authid.rolpassword} format:
 * {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}, all binary parts in
 * base64.
 *
 * @see <a href="https://www.postgresql.org/docs/current/catalog-pg-authid.html">pg_authid</a>
 */
public record ScramVerifier(ScramMechanism mechanism, int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {

    /** PostgreSQL's default {@code scram_iterations}. */
    public static final int DEFAULT_ITERATIONS = 4096;
    /** PostgreSQL's salt length. */
    public static final int DEFAULT_SALT_LENGTH = 16;

    public ScramVerifier {
        Objects.requireNonNull(mechanism, "mechanism");
        if (iterations < 1) {
            throw new IllegalArgumentException("iteration count must be positive, got " + iterations);
        }
        if (salt.length == 0) {
            throw new IllegalArgumentException("salt must not be empty");
        }
        if (storedKey.length != mechanism.keyLength() || serverKey.length != mechanism.keyLength()) {
            throw new IllegalArgumentException(mechanism.mechanismName() + " keys have "
                + mechanism.keyLength() + " bytes");
        }
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    /** The verifier PostgreSQL would store for {@code password} with this salt and iteration count. */
    public static ScramVerifier fromPassword(ScramMechanism mechanism, String password, byte[] salt, int iterations) {
        final byte[] saltedPassword = mechanism.saltedPassword(SaslPrep.passwordBytes(password), salt, iterations);
        return new ScramVerifier(mechanism, iterations, salt,
            mechanism.hash(mechanism.clientKey(saltedPassword)), mechanism.serverKey(saltedPassword));
    }

    /** A SCRAM-SHA-256 verifier with a random salt and PostgreSQL's default iteration count. */
    public static ScramVerifier fromPassword(String password, SecureRandom random) {
        final byte[] salt = new byte[DEFAULT_SALT_LENGTH];
        random.nextBytes(salt);
        return fromPassword(ScramMechanism.SCRAM_SHA_256, password, salt, DEFAULT_ITERATIONS);
    }

    /**
     * Parses PostgreSQL's format.
     *
     * @throws IllegalArgumentException naming what is wrong, if {@code text} is not a verifier
     */
    public static ScramVerifier parse(String text) {
        final int firstDollar = text.indexOf('$');
        final int secondDollar = firstDollar < 0 ? -1 : text.indexOf('$', firstDollar + 1);
        if (secondDollar < 0) {
            throw new IllegalArgumentException("not a SCRAM verifier: expected <mechanism>$<iterations>:<salt>$<StoredKey>:<ServerKey>");
        }
        final String name = text.substring(0, firstDollar);
        final ScramMechanism mechanism = Arrays.stream(ScramMechanism.values())
            .filter(m -> m.mechanismName().equals(name))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown SCRAM mechanism \"" + name + "\""));
        final String[] iterationsAndSalt = text.substring(firstDollar + 1, secondDollar).split(":", -1);
        final String[] keys = text.substring(secondDollar + 1).split(":", -1);
        if (iterationsAndSalt.length != 2 || keys.length != 2) {
            throw new IllegalArgumentException("not a SCRAM verifier: expected <mechanism>$<iterations>:<salt>$<StoredKey>:<ServerKey>");
        }
        final int iterations;
        try {
            iterations = Integer.parseInt(iterationsAndSalt[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid iteration count \"" + iterationsAndSalt[0] + "\" in SCRAM verifier");
        }
        return new ScramVerifier(mechanism, iterations, base64(iterationsAndSalt[1], "salt"),
            base64(keys[0], "StoredKey"), base64(keys[1], "ServerKey"));
    }

    private static byte[] base64(String value, String what) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid base64 in " + what + " of SCRAM verifier");
        }
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    /** PostgreSQL's format, as stored in {@code pg_authid.rolpassword}. */
    @Override
    public String toString() {
        final Base64.Encoder base64 = Base64.getEncoder();
        return mechanism.mechanismName() + "$" + iterations + ":" + base64.encodeToString(salt)
            + "$" + base64.encodeToString(storedKey) + ":" + base64.encodeToString(serverKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramVerifier other
            && mechanism == other.mechanism
            && iterations == other.iterations
            && Arrays.equals(salt, other.salt)
            && Arrays.equals(storedKey, other.storedKey)
            && Arrays.equals(serverKey, other.serverKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mechanism, iterations, Arrays.hashCode(salt), Arrays.hashCode(storedKey), Arrays.hashCode(serverKey));
    }
}
