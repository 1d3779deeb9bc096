package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;
import java.util.List;

/**
 * CopyInResponse (B): the server is ready for COPY FROM STDIN data: CopyData messages, then CopyDone or CopyFail. The overall format is 0 (text) or 1 (binary); one format code per
 * column follows, kept as sent.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-COPYINRESPONSE">CopyInResponse</a>
 */
public record CopyInResponse(byte overallFormat, List<Short> columnFormatCodes) implements BackendMessage {
    public static final byte TYPE = 'G';

    public CopyInResponse {
        columnFormatCodes = Message.requireInt16Count(List.copyOf(columnFormatCodes), "columnFormatCodes");
    }

    public static CopyInResponse decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "CopyInResponse");
        byte overallFormat = in.readByte("overall format");
        List<Short> columnFormatCodes = in.readInt16s(in.readCount16("column count", 2), "column format code");
        in.requireEnd();
        return new CopyInResponse(overallFormat, columnFormatCodes);
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
