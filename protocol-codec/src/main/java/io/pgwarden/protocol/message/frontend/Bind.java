package io.pgwarden.protocol.message.frontend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.Bytes;
import io.pgwarden.protocol.message.CString;
import io.pgwarden.protocol.message.FrontendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;
import io.pgwarden.protocol.message.NullableValues;
import java.util.List;

/**
 * Bind (F): creates a portal from a prepared statement and parameter values.
 *
 * <p>Format codes are kept as sent (0 text, 1 binary; none means all text, one applies to
 * all). Parameter values are raw bytes in the session's encoding; a {@code null} element is
 * SQL NULL.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-BIND">Bind</a>
 */
public record Bind(
        String portal,
        String statementName,
        List<Short> parameterFormatCodes,
        List<Bytes> parameterValues,
        List<Short> resultFormatCodes) implements FrontendMessage {
    public static final byte TYPE = 'B';

    public Bind {
        CString.requireValid(portal, "portal");
        CString.requireValid(statementName, "statementName");
        parameterFormatCodes = Message.requireInt16Count(List.copyOf(parameterFormatCodes), "parameterFormatCodes");
        parameterValues = Message.requireInt16Count(NullableValues.copyOf(parameterValues), "parameterValues");
        resultFormatCodes = Message.requireInt16Count(List.copyOf(resultFormatCodes), "resultFormatCodes");
    }

    public static Bind decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "Bind");
        String portal = in.readCString("portal name");
        String statementName = in.readCString("statement name");
        List<Short> parameterFormatCodes =
                in.readInt16s(in.readCount16("parameter format code count", 2), "parameter format code");
        List<Bytes> parameterValues =
                in.readNullableValues(in.readCount16("parameter value count", 4), "parameter value");
        List<Short> resultFormatCodes =
                in.readInt16s(in.readCount16("result format code count", 2), "result format code");
        in.requireEnd();
        return new Bind(portal, statementName, parameterFormatCodes, parameterValues, resultFormatCodes);
    }

    @Override
    public int encodedLength() {
        return 5 + CString.encodedLength(portal) + CString.encodedLength(statementName)
                + 2 + 2 * parameterFormatCodes.size()
                + 2 + NullableValues.encodedLength(parameterValues)
                + 2 + 2 * resultFormatCodes.size();
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, encodedLength());
        CString.write(out, portal);
        CString.write(out, statementName);
        out.writeShort(parameterFormatCodes.size());
        for (short code : parameterFormatCodes) {
            out.writeShort(code);
        }
        out.writeShort(parameterValues.size());
        NullableValues.write(out, parameterValues);
        out.writeShort(resultFormatCodes.size());
        for (short code : resultFormatCodes) {
            out.writeShort(code);
        }
    }
}
