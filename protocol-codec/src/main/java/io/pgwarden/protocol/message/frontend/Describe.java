package io.pgwarden.protocol.message.frontend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.CString;
import io.pgwarden.protocol.message.FrontendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;
import java.util.Objects;

/**
 * Describe (F): asks for the description of a prepared statement (ParameterDescription and RowDescription or NoData) or of a portal (RowDescription or NoData). An empty name means the unnamed statement or portal.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-DESCRIBE">Describe</a>
 */
public record Describe(StatementOrPortal target, String name) implements FrontendMessage {
    public static final byte TYPE = 'D';

    public Describe {
        Objects.requireNonNull(target, "target");
        CString.requireValid(name, "name");
    }

    public static Describe decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "Describe");
        byte code = in.readByte("target");
        StatementOrPortal target = StatementOrPortal.fromCode(code);
        if (target == null) {
            throw in.malformed("invalid target " + Message.describeType(code) + ", expected 'S' or 'P'");
        }
        Describe message = new Describe(target, in.readCString("name"));
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
