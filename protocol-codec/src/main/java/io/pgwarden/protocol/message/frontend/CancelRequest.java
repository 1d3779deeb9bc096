package io.pgwarden.protocol.message.frontend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.ProtocolLimits;
import io.pgwarden.protocol.message.Bytes;
import io.pgwarden.protocol.message.FrontendMessage;
import io.pgwarden.protocol.message.MessageReader;
import java.util.Objects;

/**
 * CancelRequest (F): sent on a new connection instead of a StartupMessage, asks the server to
 * cancel the query running in the session identified by the process ID and secret key from
 * its BackendKeyData. The key is 4 bytes in protocol 3.0 and 4 to 256 bytes in protocol 3.2;
 * its length is what the packet length leaves.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-CANCELREQUEST">CancelRequest</a>
 */
public record CancelRequest(int processId, Bytes secretKey) implements FrontendMessage {
    /** The request code in place of a protocol version: 1234 in the high 16 bits, 5678 in the low. */
    public static final int CODE = 80877102;

    public CancelRequest {
        Objects.requireNonNull(secretKey, "secretKey");
        if (secretKey.length() < ProtocolLimits.MIN_CANCEL_KEY_LENGTH
                || secretKey.length() > ProtocolLimits.MAX_CANCEL_KEY_LENGTH) {
            throw new IllegalArgumentException("secret key of " + secretKey.length() + " bytes, expected "
                    + ProtocolLimits.MIN_CANCEL_KEY_LENGTH + " to " + ProtocolLimits.MAX_CANCEL_KEY_LENGTH);
        }
    }

    /** A protocol 3.0 cancel request, whose key is one Int32. */
    public static CancelRequest of(int processId, int secretKey) {
        return new CancelRequest(processId, Bytes.of(
                (byte) (secretKey >>> 24), (byte) (secretKey >>> 16), (byte) (secretKey >>> 8), (byte) secretKey));
    }

    /** Decodes the packet after its length word. */
    public static CancelRequest decode(ByteBuf body) {
        MessageReader in = new MessageReader(body, "CancelRequest");
        int code = in.readInt32("request code");
        if (code != CODE) {
            throw in.malformed("request code " + code + " is not " + CODE);
        }
        int processId = in.readInt32("process ID");
        int keyLength = in.remaining();
        if (keyLength < ProtocolLimits.MIN_CANCEL_KEY_LENGTH || keyLength > ProtocolLimits.MAX_CANCEL_KEY_LENGTH) {
            throw in.malformed("secret key of " + keyLength + " bytes, expected "
                    + ProtocolLimits.MIN_CANCEL_KEY_LENGTH + " to " + ProtocolLimits.MAX_CANCEL_KEY_LENGTH);
        }
        return new CancelRequest(processId, in.readRemaining());
    }

    @Override
    public int encodedLength() {
        return 12 + secretKey.length();
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeInt(encodedLength());
        out.writeInt(CODE);
        out.writeInt(processId);
        secretKey.writeTo(out);
    }
}
