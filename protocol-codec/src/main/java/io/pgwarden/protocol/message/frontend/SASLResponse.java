package io.pgwarden.protocol.message.frontend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.Bytes;
import io.pgwarden.protocol.message.FrontendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;
import java.util.Objects;

/**
 * SASLResponse (F): a SASL message answering AuthenticationSASLContinue (for SCRAM, the
 * client-final-message). On the wire it is a {@code 'p'} message; see {@link PasswordMessage}.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-SASLRESPONSE">SASLResponse</a>
 */
public record SASLResponse(Bytes data) implements FrontendMessage {
    public static final byte TYPE = 'p';

    public SASLResponse {
        Objects.requireNonNull(data, "data");
    }

    public static SASLResponse decode(ByteBuf body) {
        return new SASLResponse(new MessageReader(body, "SASLResponse").readRemaining());
    }

    /** Reads a {@code 'p'} message known to be a SASLResponse. */
    public static SASLResponse from(PasswordMessage message) {
        return new SASLResponse(message.data());
    }

    @Override
    public int encodedLength() {
        return 5 + data.length();
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, encodedLength());
        data.writeTo(out);
    }
}
