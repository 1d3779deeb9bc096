package io.pgwarden.protocol;

import io.netty.handler.codec.CodecException;
import io.netty.handler.codec.DecoderException;

/**
 * Raised when bytes on the wire break the PostgreSQL protocol (malformed, truncated,
 * oversized). Carries the SQLSTATE and a message that may be shown to a client as is.
 *
 * <p>It is a {@link DecoderException} (and so a {@link CodecException}) because Netty's
 * {@code ByteToMessageDecoder} passes decoder exceptions through unwrapped: a handler's
 * {@code exceptionCaught} receives this exception itself, not a wrapper around it.
 */
public class ProtocolException extends DecoderException {
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
