package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;
import java.util.List;

/**
 * CopyBothResponse (B): the server starts a two-way copy, used only by streaming replication: both sides send CopyData. The overall format is 0 (text) or 1 (binary); one format code per
 * column follows, kept as sent.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-COPYBOTHRESPONSE">CopyBothResponse</a>
 */
public record CopyBothResponse(byte overallFormat, List<Short> columnFormatCodes) implements BackendMessage {
    public static final byte TYPE = 'W';

    public CopyBothResponse {
        columnFormatCodes = Message.requireInt16Count(List.copyOf(columnFormatCodes), "columnFormatCodes");
    }

    public static CopyBothResponse decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "CopyBothResponse");
        byte overallFormat = in.readByte("overall format");
        List<Short> columnFormatCodes = in.readInt16s(in.readCount16("column count", 2), "column format code");
        in.requireEnd();
        return new CopyBothResponse(overallFormat, columnFormatCodes);
    }

    @Override
    public int encodedLength() {
        return 5 + 1 + 2 + 2 * columnFormatCodes.size();
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, encodedLength());
        out.writeByte(overallFormat);
        out.writeShort(columnFormatCodes.size());
        for (short code : columnFormatCodes) {
            out.writeShort(code);
        }
    }
}
