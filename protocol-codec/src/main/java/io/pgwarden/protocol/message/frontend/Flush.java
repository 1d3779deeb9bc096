package io.pgwarden.protocol.message.frontend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.FrontendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;

/**
 * Flush (F): asks the server to send the output it has buffered, without ending the extended-query cycle as Sync would.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-FLUSH">Flush</a>
 */
public enum Flush implements FrontendMessage {
    INSTANCE;

    public static final byte TYPE = 'H';

    public static Flush decode(ByteBuf body) {
        new MessageReader(body, "Flush").requireEnd();
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
        return "Flush";
    }
}
