package io.pgwarden.protocol.message.frontend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.Bytes;
import io.pgwarden.protocol.message.FrontendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;
import java.util.Objects;

/**
 * GSSResponse (F): GSSAPI or SSPI data answering AuthenticationGSS, AuthenticationSSPI or
 * AuthenticationGSSContinue. On the wire it is a {@code 'p'} message; see {@link PasswordMessage}.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-GSSRESPONSE">GSSResponse</a>
 */
public record GSSResponse(Bytes data) implements FrontendMessage {
    public static final byte TYPE = 'p';

    public GSSResponse {
        Objects.requireNonNull(data, "data");
    }

    public static GSSResponse decode(ByteBuf body) {
        return new GSSResponse(new MessageReader(body, "GSSResponse").readRemaining());
    }

    /** Reads a {@code 'p'} message known to be a GSSResponse. */
    public static GSSResponse from(PasswordMessage message) {
        return new GSSResponse(message.data());
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
