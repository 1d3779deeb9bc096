package io.pgwarden.protocol.error;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.CString;
import io.pgwarden.protocol.message.MessageReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One field of an ErrorResponse or NoticeResponse: a code byte and a string. Codes this type
 * does not name are valid too (the protocol says to ignore them), and are kept so that a
 * message re-encodes exactly.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-error-fields.html">Error and Notice Message Fields</a>
 */
public record ErrorField(byte code, String value) {
    /** Localized severity: ERROR, FATAL, PANIC, WARNING, NOTICE, DEBUG, INFO or LOG, translated. */
    public static final byte SEVERITY = 'S';
    /** The same severity, never localized (PostgreSQL 9.6 and later). */
    public static final byte SEVERITY_NON_LOCALIZED = 'V';
    /** The SQLSTATE code. */
    public static final byte CODE = 'C';
    /** The primary, human-readable message. */
    public static final byte MESSAGE = 'M';
    public static final byte DETAIL = 'D';
    public static final byte HINT = 'H';
    /** A 1-based character position in the query string. */
    public static final byte POSITION = 'P';
    public static final byte INTERNAL_POSITION = 'p';
    public static final byte INTERNAL_QUERY = 'q';
    /** The call stack context. */
    public static final byte WHERE = 'W';
    public static final byte SCHEMA_NAME = 's';
    public static final byte TABLE_NAME = 't';
    public static final byte COLUMN_NAME = 'c';
    public static final byte DATA_TYPE_NAME = 'd';
    public static final byte CONSTRAINT_NAME = 'n';
    /** The source file of the server that reported the error. */
    public static final byte FILE = 'F';
    public static final byte LINE = 'L';
    public static final byte ROUTINE = 'R';

    public ErrorField {
        if (code == 0) {
            // A zero code byte is the terminator of the field list on the wire.
            throw new IllegalArgumentException("field code must not be zero");
        }
        CString.requireValid(value, "value");
    }

    /** Reads fields up to and including the terminating zero byte. */
    public static List<ErrorField> decodeAll(MessageReader in) {
        List<ErrorField> fields = new ArrayList<>();
        while (true) {
            byte code = in.readByte("field type");
            if (code == 0) {
                return Collections.unmodifiableList(fields);
            }
            fields.add(new ErrorField(code, in.readCString("field value")));
        }
    }

    /** Bytes written by {@link #encodeAll}, terminator included. */
    public static int encodedLength(List<ErrorField> fields) {
        int length = 1;
        for (ErrorField field : fields) {
            length += 1 + CString.encodedLength(field.value());
        }
        return length;
    }

    /** Writes the fields and the terminating zero byte. */
    public static void encodeAll(ByteBuf out, List<ErrorField> fields) {
        for (ErrorField field : fields) {
            out.writeByte(field.code());
            CString.write(out, field.value());
        }
        out.writeByte(0);
    }

    /**
     * A copy of {@code fields} with {@code code} set to {@code value}: the first field with that
     * code is replaced (later ones dropped), or the field is appended.
     */
    public static List<ErrorField> with(List<ErrorField> fields, byte code, String value) {
        ErrorField replacement = new ErrorField(code, value);
        List<ErrorField> copy = new ArrayList<>(fields.size() + 1);
        boolean replaced = false;
        for (ErrorField field : fields) {
            if (field.code() != code) {
                copy.add(field);
            } else if (!replaced) {
                copy.add(replacement);
                replaced = true;
            }
        }
        if (!replaced) {
            copy.add(replacement);
        }
        return copy;
    }

    @Override
    public String toString() {
        return (char) code + "=" + value;
    }
}
