package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.Bytes;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;
import java.util.Objects;

/**
 * AuthenticationSASLFinal (B): the SASL outcome (for SCRAM, the server-final-message, with the server signature); AuthenticationOk follows.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-AUTHENTICATIONSASLFINAL">AuthenticationSASLFinal</a>
 */
public record AuthenticationSASLFinal(Bytes data) implements BackendMessage {
    public static final byte TYPE = 'R';
    /** The authentication request code that follows the length word. */
    public static final int CODE = 12;

    public AuthenticationSASLFinal {
        Objects.requireNonNull(data, "data");
    }

    public static AuthenticationSASLFinal decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "AuthenticationSASLFinal");
        int code = in.readInt32("authentication request code");
        if (code != CODE) {
            throw in.malformed("authentication request code " + code + " is not " + CODE);
        }
        return new AuthenticationSASLFinal(in.readRemaining());
    }

    @Override
    public int encodedLength() {
        return 9 + data.length();
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, encodedLength());
        out.writeInt(CODE);
        data.writeTo(out);
    }
}
