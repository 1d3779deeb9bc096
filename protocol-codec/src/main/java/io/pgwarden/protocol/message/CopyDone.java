package io.pgwarden.protocol.message;

import io.netty.buffer.ByteBuf;

/**
 * CopyDone (F &amp; B): the end of a COPY data stream, sent by either side.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-COPYDONE">CopyDone</a>
 */
public enum CopyDone implements FrontendMessage, BackendMessage {
    INSTANCE;

    public static final byte TYPE = 'c';

    public static CopyDone decode(ByteBuf body) {
        new MessageReader(body, "CopyDone").requireEnd();
        return INSTANCE;
    }

    @Override
    public int encodedLength() {
        return 5;
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, 5);
    }

    @Override
    public String toString() {
        return "CopyDone";
    }
}
