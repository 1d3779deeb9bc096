package io.pgwarden.protocol.message.frontend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pgwarden.protocol.message.Bytes;
import io.pgwarden.protocol.message.CString;
import io.pgwarden.protocol.message.FrontendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;
import java.util.Objects;

/**
 * A {@code 'p'} message as read off the wire: PasswordMessage (F), GSSResponse (F),
 * SASLInitialResponse (F) or SASLResponse (F). All four share the type byte; which one it is
 * depends on the authentication request the server sent last, which a decoder does not know.
 * So the body is kept raw here, and a caller that knows the context reads it with {@link
 * #password()}, {@link SASLInitialResponse#from(PasswordMessage)}, {@link
 * SASLResponse#from(PasswordMessage)} or {@link GSSResponse#from(PasswordMessage)}.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-PASSWORDMESSAGE">PasswordMessage</a>
 */
public record PasswordMessage(Bytes data) implements FrontendMessage {
    public static final byte TYPE = 'p';

    public PasswordMessage {
        Objects.requireNonNull(data, "data");
    }

    /**
     * A PasswordMessage carrying a password: cleartext, or {@code "md5"} followed by the hex
     * digest for MD5 authentication.
     */
    public static PasswordMessage of(String password) {
        CString.requireValid(password, "password");
        ByteBuf buf = Unpooled.buffer(CString.encodedLength(password));
        CString.write(buf, password);
        return new PasswordMessage(Bytes.copyOf(buf));
    }

    public static PasswordMessage decode(ByteBuf body) {
        return new PasswordMessage(new MessageReader(body, "PasswordMessage").readRemaining());
    }

    /**
     * Reads the body as a password message: one NUL-terminated string.
     *
     * @throws io.pgwarden.protocol.ProtocolException if the body is not exactly one string
     */
    public String password() {
        MessageReader in = new MessageReader(data.asByteBuf(), "PasswordMessage");
        String password = in.readCString("password");
        in.requireEnd();
        return password;
    }

    @Override
    public int encodedLength() {
        return 5 + data.length();
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, encodedLength());
        data.writeTo(out);
    }
}
