package io.pgwarden.protocol.message;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Bounds-checked reading of one message body from an untrusted peer. Every read that would
 * run past the end of the body, every negative length and every count that cannot fit in the
 * remaining bytes raises a {@link ProtocolException} (08P01) naming the message and the field,
 * never an {@code IndexOutOfBoundsException}, and before anything is allocated for it.
 */
public final class MessageReader {
    private final ByteBuf body;
    private final String messageName;

    /**
     * @param body the message body; reading advances its reader index
     * @param messageName the message's name as in the protocol documentation, for errors
     */
    public MessageReader(ByteBuf body, String messageName) {
        this.body = body;
        this.messageName = messageName;
    }

    public int remaining() {
        return body.readableBytes();
    }

    public byte readByte(String field) {
        require(1, field);
        return body.readByte();
    }

    public short readInt16(String field) {
        require(2, field);
        return body.readShort();
    }

    public int readInt32(String field) {
        require(4, field);
        return body.readInt();
    }

    /** Reads a NUL-terminated string and its terminator. */
    public String readCString(String field) {
        int start = body.readerIndex();
        int nul = body.indexOf(start, body.writerIndex(), (byte) 0);
        if (nul < 0) {
            throw malformed(field + " is not NUL-terminated");
        }
        String value = CString.decode(body, start, nul - start);
        body.readerIndex(nul + 1);
        return value;
    }

    /** Reads exactly {@code length} bytes. */
    public Bytes readBytes(int length, String field) {
        if (length < 0) {
            throw malformed("invalid length " + length + " of " + field);
        }
        require(length, field);
        Bytes value = Bytes.copyOf(body, body.readerIndex(), length);
        body.skipBytes(length);
        return value;
    }

    /** Reads everything up to the end of the body. */
    public Bytes readRemaining() {
        return readBytes(body.readableBytes(), "data");
    }

    /** Reads an Int32 length followed by that many bytes; length -1 means NULL, returned as null. */
    public Bytes readNullableValue(String field) {
        int length = readInt32("length of " + field);
        return length == -1 ? null : readBytes(length, field);
    }

    /**
     * Reads an unsigned Int16 item count and checks that the items, each at least
     * {@code minItemSize} bytes long, can fit in what remains of the body.
     */
    public int readCount16(String field, int minItemSize) {
        int count = readInt16(field) & 0xffff;
        requireFits(count, minItemSize, field);
        return count;
    }

    /** Reads an Int32 item count, rejecting negative counts and counts that cannot fit. */
    public int readCount32(String field, int minItemSize) {
        int count = readInt32(field);
        if (count < 0) {
            throw malformed("negative " + field + " " + count);
        }
        requireFits(count, minItemSize, field);
        return count;
    }

    /** Reads {@code count} Int16 values (format codes). */
    public List<Short> readInt16s(int count, String field) {
        List<Short> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(readInt16(field));
        }
        return Collections.unmodifiableList(values);
    }

    /** Reads {@code count} Int32 values (object IDs). */
    public List<Integer> readInt32s(int count, String field) {
        List<Integer> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(readInt32(field));
        }
        return Collections.unmodifiableList(values);
    }

    /** Reads {@code count} nullable values; NULLs are null elements of the returned list. */
    public List<Bytes> readNullableValues(int count, String field) {
        List<Bytes> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(readNullableValue(field));
        }
        return Collections.unmodifiableList(values);
    }

    /** Checks that the whole body was read: trailing bytes would be lost on re-encoding. */
    public void requireEnd() {
        if (body.isReadable()) {
            throw malformed(body.readableBytes() + " unexpected trailing bytes");
        }
    }

    /** An error naming this message, for checks made by the message type itself. */
    public ProtocolException malformed(String detail) {
        return new ProtocolException("malformed " + messageName + " message: " + detail);
    }

    private void require(int length, String field) {
        if (body.readableBytes() < length) {
            throw malformed(field + " runs past the end of the message");
        }
    }

    private void requireFits(int count, int minItemSize, String field) {
        if ((long) count * minItemSize > body.readableBytes()) {
            throw malformed(field + " " + count + " does not fit in the remaining "
                    + body.readableBytes() + " bytes");
        }
    }
}
