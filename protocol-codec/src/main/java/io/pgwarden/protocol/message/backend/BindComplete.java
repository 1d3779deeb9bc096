package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;

/**
 * BindComplete (B): a Bind succeeded.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-BINDCOMPLETE">BindComplete</a>
 */
public enum BindComplete implements BackendMessage {
    INSTANCE;

    public static final byte TYPE = '2';

    public static BindComplete decode(ByteBuf body) {
        new MessageReader(body, "BindComplete").requireEnd();
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
        return "BindComplete";
    }
}
