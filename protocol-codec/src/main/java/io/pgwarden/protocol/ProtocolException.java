package io.pgwarden.protocol;

import io.netty.handler.codec.CodecException;

/**
 * Raised when bytes on the wire break the PostgreSQL protocol (malformed, truncated,
 * oversized). Carries the SQLSTATE and a message that may be shown to a client as is.
 */
public class ProtocolException extends CodecException {
    private static final long serialVersionUID = 1L;

    private final SqlState sqlState;

    public ProtocolException(SqlState sqlState, String message) {
        super(message);
        this.sqlState = sqlState;
    }

    public ProtocolException(String message) {
        this(SqlState.PROTOCOL_VIOLATION, message);
    }

    public SqlState sqlState() {
        return sqlState;
    }
}
