package io.pgwarden.protocol.message.frontend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.CString;
import io.pgwarden.protocol.message.FrontendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;

/**
 * Execute (F): runs a portal, returning at most {@code maxRows} rows (0 means no limit). When
 * the limit is reached the server answers PortalSuspended instead of CommandComplete.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-EXECUTE">Execute</a>
 */
public record Execute(String portal, int maxRows) implements FrontendMessage {
    public static final byte TYPE = 'E';

    public Execute {
        CString.requireValid(portal, "portal");
    }

    public static Execute decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "Execute");
        Execute message = new Execute(in.readCString("portal name"), in.readInt32("maximum row count"));
        in.requireEnd();
        return message;
    }

    @Override
    public int encodedLength() {
        return 5 + CString.encodedLength(portal) + 4;
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, encodedLength());
        CString.write(out, portal);
        out.writeInt(maxRows);
    }
}
