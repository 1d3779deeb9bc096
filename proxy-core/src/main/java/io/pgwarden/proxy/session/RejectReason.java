package io.pgwarden.proxy.session;

import io.pgwarden.protocol.SqlState;

/** Why the proxy refused a client connection before it reached the forwarding phase. */
public enum RejectReason {
    /** {@code limits.max-client-connections} reached (53300). */
    CONNECTION_LIMIT(SqlState.TOO_MANY_CONNECTIONS),
    /** A malformed, oversized or unsupported packet in the startup phase (08P01, or 0A000 for a protocol version). */
    PROTOCOL_VIOLATION(SqlState.PROTOCOL_VIOLATION),
    /** The startup did not complete within {@code limits.startup-timeout} (08P01). */
    STARTUP_TIMEOUT(SqlState.PROTOCOL_VIOLATION),
    /** No backend became eligible within {@code limits.hold-timeout} (57P03). */
    HOLD_TIMEOUT(SqlState.CANNOT_CONNECT_NOW),
    /** The proxy does not serve the request: no user name, TLS required, replication (28000, 0A000). */
    NOT_PERMITTED(SqlState.INVALID_AUTHORIZATION_SPECIFICATION),
    /** The chosen backend could not be reached, resolved or secured (08001). */
    BACKEND_UNREACHABLE(SqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION);

    private final SqlState sqlState;

    RejectReason(SqlState sqlState) {
        this.sqlState = sqlState;
    }

    /** The SQLSTATE the client usually receives for this reason. */
    public SqlState sqlState() {
        return sqlState;
    }
}
