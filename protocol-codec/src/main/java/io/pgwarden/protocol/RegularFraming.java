package io.pgwarden.protocol;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.Message;

/**
 * Framing of regular-phase messages, shared by both directions: a type byte, then an Int32
 * length that counts itself and the body but not the type byte.
 */
final class RegularFraming {
    static final int HEADER_LENGTH = 5;

    private RegularFraming() {
    }

    static int requireValidMaxMessageLength(int maxMessageLength) {
        if (maxMessageLength < ProtocolLimits.MIN_MESSAGE_LENGTH || maxMessageLength == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxMessageLength " + maxMessageLength + " must be between "
                    + ProtocolLimits.MIN_MESSAGE_LENGTH + " and " + (Integer.MAX_VALUE - 1));
        }
        return maxMessageLength;
    }

    /**
     * If a whole message is readable, skips its header and returns its body as a slice of
     * {@code in}; returns null if more bytes are needed. The length is checked as soon as the
     * header is readable, so a message over the limit is refused before any of its body is
     * buffered. The caller has checked the type byte.
     *
     * @throws ProtocolException if the length is below 4 or above {@code maxMessageLength}
     */
    static ByteBuf nextBody(ByteBuf in, int maxMessageLength) {
        if (in.readableBytes() < HEADER_LENGTH) {
            return null;
        }
        int start = in.readerIndex();
        byte type = in.getByte(start);
        int length = in.getInt(start + 1);
        if (length < ProtocolLimits.MIN_MESSAGE_LENGTH) {
            throw new ProtocolException("invalid message length " + length + " for message type "
                    + Message.describeType(type));
        }
        if (length > maxMessageLength) {
            throw new ProtocolException("message length " + length + " for message type "
                    + Message.describeType(type) + " exceeds the limit of " + maxMessageLength + " bytes");
        }
        if (in.readableBytes() - 1 < length) {
            return null;
        }
        in.skipBytes(HEADER_LENGTH);
        return in.readSlice(length - 4);
    }
}
