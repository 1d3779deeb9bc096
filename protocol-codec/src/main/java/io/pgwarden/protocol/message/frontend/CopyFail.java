package io.pgwarden.protocol.message.frontend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.CString;
import io.pgwarden.protocol.message.FrontendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;

/**
 * CopyFail (F): the client aborts a COPY FROM STDIN; the server fails the COPY with this message.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-COPYFAIL">CopyFail</a>
 */
public record CopyFail(String errorMessage) implements FrontendMessage {
    public static final byte TYPE = 'f';

    public CopyFail {
        CString.requireValid(errorMessage, "errorMessage");
    }

    public static CopyFail decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "CopyFail");
        CopyFail message = new CopyFail(in.readCString("error message"));
        in.requireEnd();
        return message;
    }

    @Override
    public int encodedLength() {
        return 5 + CString.encodedLength(errorMessage);
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, encodedLength());
        CString.write(out, errorMessage);
    }
}
