package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.CString;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;

/**
 * ParameterStatus (B): the current value of a run-time parameter the client should know
 * ({@code server_version}, {@code client_encoding}, {@code TimeZone}, ...), sent after
 * authentication and whenever one changes.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-PARAMETERSTATUS">ParameterStatus</a>
 */
public record ParameterStatus(String name, String value) implements BackendMessage {
    public static final byte TYPE = 'S';

    public ParameterStatus {
        CString.requireValid(name, "name");
        CString.requireValid(value, "value");
    }

    public static ParameterStatus decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "ParameterStatus");
        ParameterStatus message = new ParameterStatus(in.readCString("parameter name"), in.readCString("parameter value"));
        in.requireEnd();
        return message;
    }

    @Override
    public int encodedLength() {
        return 5 + CString.encodedLength(name) + CString.encodedLength(value);
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, encodedLength());
        CString.write(out, name);
        CString.write(out, value);
    }
}
