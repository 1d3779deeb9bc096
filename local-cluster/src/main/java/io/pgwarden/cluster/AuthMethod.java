package io.pgwarden.cluster;

/**
 * Client authentication method written into {@code pg_hba.conf} for every connection, replication
 * included.
 *
 * @see <a href="https://www.postgresql.org/docs/current/auth-methods.html">Authentication Methods</a>
 */
public enum AuthMethod {
    TRUST("trust", "scram-sha-256"),
    PASSWORD("password", "scram-sha-256"),
    /** Passwords are stored as MD5 hashes too, so the server really asks for MD5 and not SCRAM. */
    MD5("md5", "md5"),
    SCRAM_SHA_256("scram-sha-256", "scram-sha-256");

    private final String hbaMethod;
    private final String passwordEncryption;

    AuthMethod(String hbaMethod, String passwordEncryption) {
        this.hbaMethod = hbaMethod;
        this.passwordEncryption = passwordEncryption;
    }

    /** The method keyword in {@code pg_hba.conf}. */
    public String hbaMethod() {
        return hbaMethod;
    }

    /** The {@code password_encryption} that stores passwords in the form this method checks. */
    public String passwordEncryption() {
        return passwordEncryption;
    }
}
