package io.pgwarden.protocol.message.frontend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.Bytes;
import io.pgwarden.protocol.message.CString;
import io.pgwarden.protocol.message.FrontendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;
import io.pgwarden.protocol.message.NullableValues;

/**
 * SASLInitialResponse (F): the SASL mechanism the client chose and its initial response (for
 * SCRAM, the client-first-message); {@code initialResponse} is {@code null} when the mechanism
 * has none (length -1 on the wire). On the wire it is a {@code 'p'} message; see {@link
 * PasswordMessage}.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-SASLINITIALRESPONSE">SASLInitialResponse</a>
 */
public record SASLInitialResponse(String mechanism, Bytes initialResponse) implements FrontendMessage {
    public static final byte TYPE = 'p';

    public SASLInitialResponse {
        CString.requireValid(mechanism, "mechanism");
    }

    public static SASLInitialResponse decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "SASLInitialResponse");
        SASLInitialResponse message =
                new SASLInitialResponse(in.readCString("mechanism"), in.readNullableValue("initial response"));
        in.requireEnd();
        return message;
    }

    /**
     * Reads a {@code 'p'} message known to be a SASLInitialResponse.
     *
     * @throws io.pgwarden.protocol.ProtocolException if the body does not have that layout
     */
    public static SASLInitialResponse from(PasswordMessage message) {
        return decode(message.data().asByteBuf());
    }

    @Override
    public int encodedLength() {
        return 5 + CString.encodedLength(mechanism) + 4 + (initialResponse == null ? 0 : initialResponse.length());
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, encodedLength());
        CString.write(out, mechanism);
        NullableValues.write(out, initialResponse);
    }
}
