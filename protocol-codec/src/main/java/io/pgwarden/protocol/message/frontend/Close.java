package io.pgwarden.protocol.message.frontend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.CString;
import io.pgwarden.protocol.message.FrontendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;
import java.util.Objects;

/**
 * Close (F): closes a prepared statement or portal; the server answers CloseComplete. An empty name means the unnamed statement or portal.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-CLOSE">Close</a>
 */
public record Close(StatementOrPortal target, String name) implements FrontendMessage {
    public static final byte TYPE = 'C';

    public Close {
        Objects.requireNonNull(target, "target");
        CString.requireValid(name, "name");
    }

    public static Close decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "Close");
        byte code = in.readByte("target");
        StatementOrPortal target = StatementOrPortal.fromCode(code);
        if (target == null) {
            throw in.malformed("invalid target " + Message.describeType(code) + ", expected 'S' or 'P'");
        }
        Close message = new Close(target, in.readCString("name"));
        in.requireEnd();
        return message;
    }

    @Override
    public int encodedLength() {
        return 6 + CString.encodedLength(name);
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, encodedLength());
        out.writeByte(target.code());
        CString.write(out, name);
    }
}
