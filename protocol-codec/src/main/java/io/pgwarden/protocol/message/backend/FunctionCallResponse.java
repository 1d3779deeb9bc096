package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.Bytes;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;
import io.pgwarden.protocol.message.NullableValues;

/**
 * FunctionCallResponse (B): the result of a FunctionCall; {@code result} is {@code null} for
 * SQL NULL.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-FUNCTIONCALLRESPONSE">FunctionCallResponse</a>
 */
public record FunctionCallResponse(Bytes result) implements BackendMessage {
    public static final byte TYPE = 'V';

    public static FunctionCallResponse decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "FunctionCallResponse");
        FunctionCallResponse message = new FunctionCallResponse(in.readNullableValue("result"));
        in.requireEnd();
        return message;
    }

    @Override
    public int encodedLength() {
        return 5 + 4 + (result == null ? 0 : result.length());
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, encodedLength());
        NullableValues.write(out, result);
    }
}
