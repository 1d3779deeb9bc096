package io.pgwarden.protocol.message.frontend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.FrontendMessage;
import io.pgwarden.protocol.message.MessageReader;

/**
 * SSLRequest (F): asks the server to encrypt the session with TLS; the server answers a single byte, {@code 'S'} or {@code 'N'}. Comes before the StartupMessage, which is then sent inside TLS or, after {@code 'N'}, in the clear.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-SSLREQUEST">SSLRequest</a>
 */
public enum SSLRequest implements FrontendMessage {
    INSTANCE;

    /** The request code in place of a protocol version: 1234 in the high 16 bits, 5679 in the low. */
    public static final int CODE = 80877103;

    /** Decodes the packet after its length word. */
    public static SSLRequest decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "SSLRequest");
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
        return "SSLRequest";
    }
}
