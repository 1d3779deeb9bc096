package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.CString;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;

/**
 * CommandComplete (B): a command finished; the tag names it and, for most commands, the rows it touched ({@code "INSERT 0 1"}, {@code "SELECT 5"}).
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-COMMANDCOMPLETE">CommandComplete</a>
 */
public record CommandComplete(String tag) implements BackendMessage {
    public static final byte TYPE = 'C';

    public CommandComplete {
        CString.requireValid(tag, "tag");
    }

    public static CommandComplete decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "CommandComplete");
        CommandComplete message = new CommandComplete(in.readCString("command tag"));
        in.requireEnd();
        return message;
    }

    @Override
    public int encodedLength() {
        return 5 + CString.encodedLength(tag);
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, encodedLength());
        CString.write(out, tag);
    }
}
