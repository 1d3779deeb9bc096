package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;

/**
 * NoData (B): the described statement or portal returns no rows.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-NODATA">NoData</a>
 */
public enum NoData implements BackendMessage {
    INSTANCE;

    public static final byte TYPE = 'n';

    public static NoData decode(ByteBuf body) {
        new MessageReader(body, "NoData").requireEnd();
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
        return "NoData";
    }
}
