package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;
import java.util.List;

/**
 * CopyOutResponse (B): the server starts a COPY TO STDOUT: CopyData messages, then CopyDone. The overall format is 0 (text) or 1 (binary); one format code per
 * column follows, kept as sent.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-COPYOUTRESPONSE">CopyOutResponse</a>
 */
public record CopyOutResponse(byte overallFormat, List<Short> columnFormatCodes) implements BackendMessage {
    public static final byte TYPE = 'H';

    public CopyOutResponse {
        columnFormatCodes = Message.requireInt16Count(List.copyOf(columnFormatCodes), "columnFormatCodes");
    }

    public static CopyOutResponse decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "CopyOutResponse");
        byte overallFormat = in.readByte("overall format");
        List<Short> columnFormatCodes = in.readInt16s(in.readCount16("column count", 2), "column format code");
        in.requireEnd();
        return new CopyOutResponse(overallFormat, columnFormatCodes);
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
