package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.CString;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;
import java.util.ArrayList;
import java.util.List;

/**
 * AuthenticationSASL (B): SASL authentication is required; lists the mechanisms the server
 * accepts, in its order of preference ({@code SCRAM-SHA-256-PLUS}, {@code SCRAM-SHA-256}).
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-AUTHENTICATIONSASL">AuthenticationSASL</a>
 */
public record AuthenticationSASL(List<String> mechanisms) implements BackendMessage {
    public static final byte TYPE = 'R';
    /** The authentication request code that follows the length word. */
    public static final int CODE = 10;

    public AuthenticationSASL {
        mechanisms = List.copyOf(mechanisms);
        for (String mechanism : mechanisms) {
            CString.requireValid(mechanism, "mechanism");
            if (mechanism.isEmpty()) {
                // An empty string ends the list on the wire.
                throw new IllegalArgumentException("mechanism name must not be empty");
            }
        }
    }

    public static AuthenticationSASL decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "AuthenticationSASL");
        int code = in.readInt32("authentication request code");
        if (code != CODE) {
            throw in.malformed("authentication request code " + code + " is not " + CODE);
        }
        List<String> mechanisms = new ArrayList<>();
        while (true) {
            String mechanism = in.readCString("mechanism name");
            if (mechanism.isEmpty()) {
                break;
            }
            mechanisms.add(mechanism);
        }
        in.requireEnd();
        return new AuthenticationSASL(mechanisms);
    }

    @Override
    public int encodedLength() {
        int length = 9 + 1;
        for (String mechanism : mechanisms) {
            length += CString.encodedLength(mechanism);
        }
        return length;
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, encodedLength());
        out.writeInt(CODE);
        for (String mechanism : mechanisms) {
            CString.write(out, mechanism);
        }
        out.writeByte(0);
    }
}
