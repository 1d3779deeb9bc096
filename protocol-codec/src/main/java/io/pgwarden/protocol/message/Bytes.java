package io.pgwarden.protocol.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * An immutable byte string: parameter values, column values, COPY data, authentication
 * payloads. Messages hold their own copy so they need no reference counting and outlive the
 * buffer they were decoded from.
 */
public final class Bytes {
    /** Zero bytes. */
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private static final int TO_STRING_LIMIT = 32;

    private final byte[] bytes;

    private Bytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of the given bytes. */
    public static Bytes of(byte... bytes) {
        return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone());
    }

    /** A copy of {@code length} bytes of {@code buf} from {@code index}; indexes unchanged. */
    public static Bytes copyOf(ByteBuf buf, int index, int length) {
        if (length == 0) {
            return EMPTY;
        }
        byte[] copy = new byte[length];
        buf.getBytes(index, copy);
        return new Bytes(copy);
    }

    /** A copy of the readable bytes of {@code buf}; indexes unchanged. */
    public static Bytes copyOf(ByteBuf buf) {
        return copyOf(buf, buf.readerIndex(), buf.readableBytes());
    }

    public int length() {
        return bytes.length;
    }

    public byte get(int index) {
        return bytes[index];
    }

    /** A copy of the bytes. */
    public byte[] toArray() {
        return bytes.clone();
    }

    public void writeTo(ByteBuf out) {
        out.writeBytes(bytes);
    }

    /**
     * A read-only view backed by these bytes. It is unpooled heap memory: releasing it is
     * optional and never affects this value.
     */
    public ByteBuf asByteBuf() {
        return Unpooled.wrappedBuffer(bytes).asReadOnly();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Hex of the first bytes, enough to tell values apart in test failures and logs. */
    @Override
    public String toString() {
        int shown = Math.min(bytes.length, TO_STRING_LIMIT);
        String hex = ByteBufUtil.hexDump(bytes, 0, shown);
        return "Bytes[" + bytes.length + ": " + hex + (shown < bytes.length ? "…]" : "]");
    }
}
