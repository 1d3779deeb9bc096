package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.ProtocolLimits;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.Bytes;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.MessageReader;
import java.util.Objects;

/**
 * BackendKeyData (B): the process ID and secret key a client needs to send a CancelRequest for
 * this session. The key is 4 bytes in protocol 3.0 and 4 to 256 bytes in protocol 3.2
 * (PostgreSQL 18 sends 32); its length is what the message length leaves.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-BACKENDKEYDATA">BackendKeyData</a>
 */
public record BackendKeyData(int processId, Bytes secretKey) implements BackendMessage {
    public static final byte TYPE = 'K';

    public BackendKeyData {
        Objects.requireNonNull(secretKey, "secretKey");
        if (secretKey.length() < ProtocolLimits.MIN_CANCEL_KEY_LENGTH
                || secretKey.length() > ProtocolLimits.MAX_CANCEL_KEY_LENGTH) {
            throw new IllegalArgumentException("secret key of " + secretKey.length() + " bytes, expected "
                    + ProtocolLimits.MIN_CANCEL_KEY_LENGTH + " to " + ProtocolLimits.MAX_CANCEL_KEY_LENGTH);
        }
    }

    /** A protocol 3.0 key, one Int32. */
    public static BackendKeyData of(int processId, int secretKey) {
        return new BackendKeyData(processId, Bytes.of(
                (byte) (secretKey >>> 24), (byte) (secretKey >>> 16), (byte) (secretKey >>> 8), (byte) secretKey));
    }

    public static BackendKeyData decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "BackendKeyData");
        int processId = in.readInt32("process ID");
        int keyLength = in.remaining();
        if (keyLength < ProtocolLimits.MIN_CANCEL_KEY_LENGTH || keyLength > ProtocolLimits.MAX_CANCEL_KEY_LENGTH) {
            throw in.malformed("secret key of " + keyLength + " bytes, expected "
                    + ProtocolLimits.MIN_CANCEL_KEY_LENGTH + " to " + ProtocolLimits.MAX_CANCEL_KEY_LENGTH);
        }
        return new BackendKeyData(processId, in.readRemaining());
    }

    @Override
    public int encodedLength() {
        return 9 + secretKey.length();
    }

    @Override
    public void encode(ByteBuf out) {
        Message.writeHeader(out, TYPE, encodedLength());
        out.writeInt(processId);
        secretKey.writeTo(out);
    }
}
