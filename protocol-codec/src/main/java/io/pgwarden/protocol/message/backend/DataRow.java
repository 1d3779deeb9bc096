package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.Bytes;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;
import io.pgwarden.protocol.message.NullableValues;
import java.util.List;

/**
 * DataRow (B): one row of a result; each column value is raw bytes in the format of the
 * RowDescription, and a {@code null} element is SQL NULL.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-DATAROW">DataRow</a>
 */
public record DataRow(List<Bytes> values) implements BackendMessage {
    public static final byte TYPE = 'D';

    public DataRow {
        values = Message.requireInt16Count(NullableValues.copyOf(values), "values");
    }

    public static DataRow decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "DataRow");
        List<Bytes> values = in.readNullableValues(in.readCount16("column count", 4), "column value");
        in.requireEnd();
        return new DataRow(values);
    }

    @Override
    public int encodedLength() {
        return 5 + 2 + NullableValues.encodedLength(values);
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, encodedLength());
        out.writeShort(values.size());
        NullableValues.write(out, values);
    }
}
