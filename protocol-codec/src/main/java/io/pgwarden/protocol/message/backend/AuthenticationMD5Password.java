package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.Bytes;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;
import java.util.Objects;

/**
 * AuthenticationMD5Password (B): the client must send {@code "md5" + md5(md5(password + user) + salt)}
 * in a PasswordMessage.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-AUTHENTICATIONMD5PASSWORD">AuthenticationMD5Password</a>
 */
public record AuthenticationMD5Password(Bytes salt) implements BackendMessage {
    public static final byte TYPE = 'R';
    /** The authentication request code that follows the length word. */
    public static final int CODE = 5;
    public static final int SALT_LENGTH = 4;

    public AuthenticationMD5Password {
        Objects.requireNonNull(salt, "salt");
        if (salt.length() != SALT_LENGTH) {
            throw new IllegalArgumentException("salt of " + salt.length() + " bytes, expected " + SALT_LENGTH);
        }
    }

    public static AuthenticationMD5Password decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "AuthenticationMD5Password");
        int code = in.readInt32("authentication request code");
        if (code != CODE) {
            throw in.malformed("authentication request code " + code + " is not " + CODE);
        }
        AuthenticationMD5Password message = new AuthenticationMD5Password(in.readBytes(SALT_LENGTH, "salt"));
        in.requireEnd();
        return message;
    }

    @Override
    public int encodedLength() {
        return 9 + SALT_LENGTH;
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, encodedLength());
        out.writeInt(CODE);
        salt.writeTo(out);
    }
}
