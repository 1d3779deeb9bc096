package io.pgwarden.protocol.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A PostgreSQL protocol message that can write itself to the wire.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html">Message Formats</a>
 */
public interface Message {

    /** Writes the complete message: type byte (if any), length word and body. */
    void encode(ByteBuf out);

    /** The number of bytes {@link #encode(ByteBuf)} writes, type byte included. */
    int encodedLength();

    /** Encodes into a new buffer of exactly {@link #encodedLength()} bytes; the caller owns it. */
    default ByteBuf encode(ByteBufAllocator allocator) {
        int length = encodedLength();
        ByteBuf out = allocator.buffer(length, length);
        try {
            encode(out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** Writes the type byte and the length word, which counts itself and the body. */
    static void writeHeader(ByteBuf out, byte type, int encodedLength) {
        out.writeByte(type);
        out.writeInt(encodedLength - 1);
    }

    /**
     * Checks that a list can be counted by an Int16 on the wire (the protocol reads these
     * counts as unsigned, so up to 65535 items).
     *
     * @return {@code items}
     */
    static <T extends java.util.Collection<?>> T requireInt16Count(T items, String what) {
        if (items.size() > 0xffff) {
            throw new IllegalArgumentException(what + ": " + items.size() + " items exceed the limit of 65535");
        }
        return items;
    }

    /** A type byte as a client may be shown it: {@code 'Q'}, or {@code 0x05} if not printable. */
    static String describeType(byte type) {
        return type > 0x20 && type < 0x7f ? "'" + (char) type + "'" : String.format("0x%02x", type & 0xff);
    }
}
