package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.CString;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * RowDescription (B): the columns of the rows that follow.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-ROWDESCRIPTION">RowDescription</a>
 */
public record RowDescription(List<Field> fields) implements BackendMessage {
    public static final byte TYPE = 'T';

    /** The smallest encoding of a field: an empty name, then 18 bytes of numbers. */
    private static final int MIN_FIELD_LENGTH = 1 + 4 + 2 + 4 + 2 + 4 + 2;

    /**
     * One column: its name; the table OID and attribute number if it is a plain table column,
     * else 0; its type OID, size ({@code pg_type.typlen}, negative for variable width) and
     * modifier; its format code (0 text, 1 binary; 0 in answer to a statement Describe).
     */
    public record Field(
            String name,
            int tableOid,
            short columnAttributeNumber,
            int dataTypeOid,
            short dataTypeSize,
            int typeModifier,
            short formatCode) {
        public Field {
            CString.requireValid(name, "name");
        }
    }

    public RowDescription {
        fields = Message.requireInt16Count(List.copyOf(fields), "fields");
    }

    public static RowDescription decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "RowDescription");
        int count = in.readCount16("field count", MIN_FIELD_LENGTH);
        List<Field> fields = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            fields.add(new Field(
                    in.readCString("field name"),
                    in.readInt32("table OID"),
                    in.readInt16("column attribute number"),
                    in.readInt32("data type OID"),
                    in.readInt16("data type size"),
                    in.readInt32("type modifier"),
                    in.readInt16("format code")));
        }
        in.requireEnd();
        return new RowDescription(Collections.unmodifiableList(fields));
    }

    @Override
    public int encodedLength() {
        int length = 5 + 2;
        for (Field field : fields) {
            length += CString.encodedLength(field.name()) + MIN_FIELD_LENGTH - 1;
        }
        return length;
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, encodedLength());
        out.writeShort(fields.size());
        for (Field field : fields) {
            CString.write(out, field.name());
            out.writeInt(field.tableOid());
            out.writeShort(field.columnAttributeNumber());
            out.writeInt(field.dataTypeOid());
            out.writeShort(field.dataTypeSize());
            out.writeInt(field.typeModifier());
            out.writeShort(field.formatCode());
        }
    }
}
