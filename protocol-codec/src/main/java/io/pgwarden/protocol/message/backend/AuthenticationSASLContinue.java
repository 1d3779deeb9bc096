package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.Bytes;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;
import java.util.Objects;

/**
 * AuthenticationSASLContinue (B): a SASL challenge (for SCRAM, the server-first-message), answered by SASLResponse.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-AUTHENTICATIONSASLCONTINUE">AuthenticationSASLContinue</a>
 */
public record AuthenticationSASLContinue(Bytes data) implements BackendMessage {
    public static final byte TYPE = 'R';
    /** The authentication request code that follows the length word. */
    public static final int CODE = 11;

    public AuthenticationSASLContinue {
        Objects.requireNonNull(data, "data");
    }

    public static AuthenticationSASLContinue decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "AuthenticationSASLContinue");
        int code = in.readInt32("authentication request code");
        if (code != CODE) {
            throw in.malformed("authentication request code " + code + " is not " + CODE);
        }
        return new AuthenticationSASLContinue(in.readRemaining());
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
