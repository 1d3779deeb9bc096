package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;

/**
 * AuthenticationGSS (B): the client must start a GSSAPI exchange, answering with GSSResponse.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-AUTHENTICATIONGSS">AuthenticationGSS</a>
 */
public enum AuthenticationGSS implements BackendMessage {
    INSTANCE;

    public static final byte TYPE = 'R';
    /** The authentication request code that follows the length word. */
    public static final int CODE = 7;

    public static AuthenticationGSS decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "AuthenticationGSS");
        int code = in.readInt32("authentication request code");
        if (code != CODE) {
            throw in.malformed("authentication request code " + code + " is not " + CODE);
        }
        in.requireEnd();
        return INSTANCE;
    }

    @Override
    public int encodedLength() {
        return 9;
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, 9);
        out.writeInt(CODE);
    }

    @Override
    public String toString() {
        return "AuthenticationGSS";
    }
}
