package io.pgwarden.protocol.message.frontend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.FrontendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;

/**
 * Sync (F): ends an extended-query cycle: the server commits or rolls back an implicit transaction and answers ReadyForQuery.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-SYNC">Sync</a>
 */
public enum Sync implements FrontendMessage {
    INSTANCE;

    public static final byte TYPE = 'S';

    public static Sync decode(ByteBuf body) {
        new MessageReader(body, "Sync").requireEnd();
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
        return "Sync";
    }
}
