package io.pgwarden.protocol.scan;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.ProtocolException;

/**
 * Finds the boundaries of regular (post-startup) protocol messages in a stream of read
 * buffers, in place, and lets the direction-specific subclass look at the few messages it
 * tracks.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #scan(ByteBuf)} reads only the bytes between the buffer's {@code readerIndex}
 *       and {@code writerIndex}, with absolute getters: it never changes the buffer's indices,
 *       content or reference count, and never copies.</li>
 *   <li>It never allocates. The only exception is a protocol violation, which builds a
 *       {@link ProtocolException} once; from then on the scanner stays failed and every
 *       further {@code scan} throws that same exception.</li>
 *   <li>State that spans reads (a partial 5-byte header, the rest of a message body, a
 *       partially read tracked field) lives in the scanner, so a message may be split across
 *       buffers at any byte. Every buffer of the stream must be scanned, in order, exactly
 *       once.</li>
 *   <li>Every message is framed by its type byte and a 4-byte length that counts itself but
 *       not the type byte. A length below 4 or above the configured maximum is a protocol
 *       violation (SQLSTATE 08P01) that names the type byte and the length.</li>
 *   <li>Listener callbacks run on the calling thread during {@code scan}, in stream order.
 *       A listener must not throw and must not touch the buffer's indices.</li>
 * </ul>
 * A scanner belongs to one direction of one session and, like the session, to one event
 * loop thread: it is not thread-safe.
 */
public abstract sealed class MessageScanner permits BackendMessageScanner, FrontendMessageScanner {

    /** Type byte plus Int32 length. */
    static final int HEADER_LENGTH = 5;

    /** The smallest valid length: the length field counts its own four bytes. */
    static final int MIN_LENGTH = 4;

    private final int maxMessageLength;

    /** Bytes of a split header seen so far; 0 between messages or once a header is complete. */
    private int headerBytesSeen;
    private byte splitHeaderType;
    private int splitHeaderLength;

    /** Body bytes of the current message not yet seen. */
    private int bodyRemaining;
    /** Whether the subclass reads the current body, or the scanner just skips it. */
    private boolean bodyTracked;

    private long messageCount;
    private ProtocolException failure;

    MessageScanner(int maxMessageLength) {
        if (maxMessageLength < MIN_LENGTH) {
            throw new IllegalArgumentException(
                "maxMessageLength must be at least " + MIN_LENGTH + ", got " + maxMessageLength);
        }
        this.maxMessageLength = maxMessageLength;
    }

    /**
     * Scans the readable bytes of {@code buffer} as the continuation of the stream, reporting
     * tracked messages to the listener. The buffer's indices and content are left unchanged.
     *
     * @throws ProtocolException (08P01) if a message length is below 4 or above the maximum,
     *         or a tracked message is malformed; also on every call after such a failure
     */
    public final void scan(ByteBuf buffer) {
        if (failure != null) {
            throw failure;
        }
        int index = buffer.readerIndex();
        final int end = buffer.writerIndex();
        while (index < end) {
            if (bodyRemaining != 0) {
                // end - index and bodyRemaining are both non-negative ints: no overflow here.
                final int limit = end - index <= bodyRemaining ? end : index + bodyRemaining;
                final int next = bodyTracked ? scanTrackedBody(buffer, index, limit) : limit;
                bodyRemaining -= next - index;
                index = next;
                if (bodyRemaining == 0 && bodyTracked) {
                    bodyTracked = false;
                    messageEnded();
                }
            } else if (headerBytesSeen == 0 && end - index >= HEADER_LENGTH) {
                // Fast path: a whole header in this buffer.
                beginMessage(buffer.getByte(index), buffer.getInt(index + 1), index, end);
                index += HEADER_LENGTH;
            } else {
                // A header split across buffers: collect it one byte at a time.
                final byte b = buffer.getByte(index++);
                if (headerBytesSeen == 0) {
                    splitHeaderType = b;
                    splitHeaderLength = 0;
                } else {
                    splitHeaderLength = splitHeaderLength << 8 | (b & 0xFF);
                }
                if (++headerBytesSeen == HEADER_LENGTH) {
                    headerBytesSeen = 0;
                    beginMessage(splitHeaderType, splitHeaderLength, -1, end);
                }
            }
        }
    }

    private void beginMessage(byte type, int length, int messageIndex, int bufferEnd) {
        if (length < MIN_LENGTH || length > maxMessageLength) {
            throw fail("invalid length " + Integer.toUnsignedString(length) + " of message type "
                + describeType(type) + " (allowed: " + MIN_LENGTH + " to " + maxMessageLength + ")");
        }
        messageCount++;
        bodyRemaining = length - MIN_LENGTH;
        bodyTracked = messageStarted(type, length, messageIndex, bufferEnd);
        if (bodyTracked && bodyRemaining == 0) {
            bodyTracked = false;
            messageEnded();
        }
    }

    /**
     * Called once per message when its header is complete.
     *
     * @param length the declared length, already validated
     * @param messageIndex index of the type byte in the current buffer, or -1 when the header
     *        began in an earlier buffer
     * @param bufferEnd the current buffer's writerIndex
     * @return true to have the body passed to {@link #scanTrackedBody} and be told
     *         {@link #messageEnded()}; false to skip the body
     */
    abstract boolean messageStarted(byte type, int length, int messageIndex, int bufferEnd);

    /**
     * Reads part of a tracked body: the bytes in {@code [index, limit)}, which all belong to
     * the current message ({@code limit > index}).
     *
     * @return the index up to which bytes were consumed, greater than {@code index} and at
     *         most {@code limit}; returning {@code limit} early skips bytes the subclass no
     *         longer needs
     */
    abstract int scanTrackedBody(ByteBuf buffer, int index, int limit);

    /** Called when the last body byte of a tracked message has been scanned. */
    abstract void messageEnded();

    /** Records a protocol violation; the scanner stays failed. */
    final ProtocolException fail(String message) {
        failure = new ProtocolException(message);
        return failure;
    }

    /** Messages whose header has been scanned so far (including the current one). */
    public final long messageCount() {
        return messageCount;
    }

    /**
     * Whether the stream scanned so far ends exactly at a message boundary: no partial header
     * and no unread body bytes are pending. A proxy may only splice another stream in (or
     * stop forwarding) at such a point.
     */
    public final boolean atMessageBoundary() {
        return headerBytesSeen == 0 && bodyRemaining == 0;
    }

    /** Whether a protocol violation has been detected; then every {@link #scan} throws. */
    public final boolean failed() {
        return failure != null;
    }

    /** The configured maximum message length (counting the length field, not the type byte). */
    public final int maxMessageLength() {
        return maxMessageLength;
    }

    static String describeType(byte type) {
        final int t = type & 0xFF;
        return t >= 0x20 && t < 0x7F
            ? "'" + (char) t + "'"
            : String.format("0x%02X", t);
    }
}
