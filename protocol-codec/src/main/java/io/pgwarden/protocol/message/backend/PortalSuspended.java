package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;

/**
 * PortalSuspended (B): an Execute reached its row limit before the portal was exhausted.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-PORTALSUSPENDED">PortalSuspended</a>
 */
public enum PortalSuspended implements BackendMessage {
    INSTANCE;

    public static final byte TYPE = 's';

    public static PortalSuspended decode(ByteBuf body) {
        new MessageReader(body, "PortalSuspended").requireEnd();
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
        return "PortalSuspended";
    }
}
