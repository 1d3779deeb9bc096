package io.pgwarden.protocol.message.frontend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.FrontendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;

/**
 * Terminate (F): the client closes the session.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-TERMINATE">Terminate</a>
 */
public enum Terminate implements FrontendMessage {
    INSTANCE;

    public static final byte TYPE = 'X';

    public static Terminate decode(ByteBuf body) {
        new MessageReader(body, "Terminate").requireEnd();
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
        return "Terminate";
    }
}
