package io.pgwarden.bench.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.pgwarden.bench.traffic.Streams;

/**
 * A protocol stream cut into socket reads of at most {@code readSize} bytes, without regard to
 * message boundaries, each in its own pooled direct buffer as a socket read delivers it.
 *
 * <p>The buffers are reused rather than allocated and filled per read, which is the transport's
 * work, not the relay's: {@link #read} retains a buffer before the relay takes it, and the
 * release after it was forwarded gives it back.
 */
final class Reads implements AutoCloseable {

    private final ByteBuf[] buffers;
    private final long bytes;
    private final long messages;

    Reads(byte[] stream, int readSize) {
        buffers = new ByteBuf[(stream.length + readSize - 1) / readSize];
        for (int i = 0; i < buffers.length; i++) {
            int start = i * readSize;
            int length = Math.min(readSize, stream.length - start);
            buffers[i] = PooledByteBufAllocator.DEFAULT.directBuffer(length, length).writeBytes(stream, start, length);
        }
        bytes = stream.length;
        messages = Streams.countMessages(stream);
    }

    int count() {
        return buffers.length;
    }

    /** The {@code index}th read, for the relay to own and release. */
    ByteBuf read(int index) {
        ByteBuf buffer = buffers[index];
        return buffer.readerIndex(0).retain();
    }

    /** Bytes in all the reads. */
    long bytes() {
        return bytes;
    }

    /** Protocol messages in all the reads. */
    long messages() {
        return messages;
    }

    /** Whether the relay released every read it was given, once: each buffer is back to this object's one reference. */
    boolean returned() {
        for (ByteBuf buffer : buffers) {
            if (buffer.refCnt() != 1) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        for (ByteBuf buffer : buffers) {
            buffer.release();
        }
    }
}
