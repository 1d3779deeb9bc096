package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;

/**
 * AuthenticationKerberosV5 (B): Kerberos V5 authentication is required. No server since PostgreSQL 9.4 sends it.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-AUTHENTICATIONKERBEROSV5">AuthenticationKerberosV5</a>
 */
public enum AuthenticationKerberosV5 implements BackendMessage {
    INSTANCE;

    public static final byte TYPE = 'R';
    /** The authentication request code that follows the length word. */
    public static final int CODE = 2;

    public static AuthenticationKerberosV5 decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "AuthenticationKerberosV5");
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
        return "AuthenticationKerberosV5";
    }
}
