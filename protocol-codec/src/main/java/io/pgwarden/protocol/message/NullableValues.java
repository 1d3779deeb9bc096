package io.pgwarden.protocol.message;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Lists of values as Bind, FunctionCall and DataRow carry them: each an Int32 length and that
 * many bytes, with length -1 for SQL NULL. NULL is a {@code null} element.
 */
public final class NullableValues {
    private NullableValues() {
    }

    /** An unmodifiable copy that, unlike {@link List#copyOf}, keeps null elements. */
    public static List<Bytes> copyOf(List<Bytes> values) {
        return Collections.unmodifiableList(new ArrayList<>(values));
    }

    /** Bytes written by {@link #write}: the length words and the values. */
    public static int encodedLength(List<Bytes> values) {
        int length = 0;
        for (Bytes value : values) {
            length += 4 + (value == null ? 0 : value.length());
        }
        return length;
    }

    public static void write(ByteBuf out, List<Bytes> values) {
        for (Bytes value : values) {
            write(out, value);
        }
    }

    public static void write(ByteBuf out, Bytes value) {
        if (value == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(value.length());
            value.writeTo(out);
        }
    }
}
