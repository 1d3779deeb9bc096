package io.pgwarden.protocol.message.frontend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.Bytes;
import io.pgwarden.protocol.message.FrontendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;
import io.pgwarden.protocol.message.NullableValues;
import java.util.List;

/**
 * FunctionCall (F): the fast-path interface, calling a function by OID (used by large-object
 * APIs). A {@code null} argument is SQL NULL.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-FUNCTIONCALL">FunctionCall</a>
 */
public record FunctionCall(
        int functionOid,
        List<Short> argumentFormatCodes,
        List<Bytes> arguments,
        short resultFormatCode) implements FrontendMessage {
    public static final byte TYPE = 'F';

    public FunctionCall {
        argumentFormatCodes = Message.requireInt16Count(List.copyOf(argumentFormatCodes), "argumentFormatCodes");
        arguments = Message.requireInt16Count(NullableValues.copyOf(arguments), "arguments");
    }

    public static FunctionCall decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "FunctionCall");
        int functionOid = in.readInt32("function OID");
        List<Short> argumentFormatCodes =
                in.readInt16s(in.readCount16("argument format code count", 2), "argument format code");
        List<Bytes> arguments = in.readNullableValues(in.readCount16("argument count", 4), "argument");
        short resultFormatCode = in.readInt16("result format code");
        in.requireEnd();
        return new FunctionCall(functionOid, argumentFormatCodes, arguments, resultFormatCode);
    }

    @Override
    public int encodedLength() {
        return 5 + 4 + 2 + 2 * argumentFormatCodes.size() + 2 + NullableValues.encodedLength(arguments) + 2;
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, encodedLength());
        out.writeInt(functionOid);
        out.writeShort(argumentFormatCodes.size());
        for (short code : argumentFormatCodes) {
            out.writeShort(code);
        }
        out.writeShort(arguments.size());
        NullableValues.write(out, arguments);
        out.writeShort(resultFormatCode);
    }
}
