package io.pgwarden.protocol.message.frontend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.FrontendMessage;
import io.pgwarden.protocol.message.MessageReader;

/**
 * GSSENCRequest (F): asks the server to encrypt the session with GSSAPI; the server answers a single byte, {@code 'G'} or {@code 'N'}.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-GSSENCREQUEST">GSSENCRequest</a>
 */
public enum GSSENCRequest implements FrontendMessage {
    INSTANCE;

    /** The request code in place of a protocol version: 1234 in the high 16 bits, 5680 in the low. */
    public static final int CODE = 80877104;

    /** Decodes the packet after its length word. */
    public static GSSENCRequest decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "GSSENCRequest");
        int code = in.readInt32("request code");
        if (code != CODE) {
            throw in.malformed("request code " + code + " is not " + CODE);
        }
        in.requireEnd();
        return INSTANCE;
    }

    @Override
    public int encodedLength() {
        return 8;
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeInt(8);
        out.writeInt(CODE);
    }

    @Override
    public String toString() {
        return "GSSENCRequest";
    }
}
