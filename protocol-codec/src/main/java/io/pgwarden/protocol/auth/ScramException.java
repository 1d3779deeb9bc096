package io.pgwarden.protocol.auth;

import io.pgwarden.protocol.SqlState;

/**
 * A SCRAM exchange failed: a malformed or inconsistent message (SQLSTATE 08P01), a wrong
 * password (28P01), or a peer that could not prove itself (28000). The message says which
 * and may be shown to a client.
 */
public class ScramException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final SqlState sqlState;

    public ScramException(SqlState sqlState, String message) {
        super(message);
        this.sqlState = sqlState;
    }

    static ScramException malformed(String message) {
        return new ScramException(SqlState.PROTOCOL_VIOLATION, "malformed SCRAM message: " + message);
    }

    public SqlState sqlState() {
        return sqlState;
    }
}
