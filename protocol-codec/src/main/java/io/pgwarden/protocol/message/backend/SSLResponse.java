package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.BackendMessage;

/**
 * The single byte a server answers a SSLRequest with: {@code 'S'} if it is willing to perform
 * TLS, {@code 'N'} if not. It has no type byte or length. After {@code 'S'} the
 * handshake starts; any bytes that arrived with the answer were not protected by it and must
 * be rejected (CVE-2021-23222).
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-SSL">SSL session encryption</a>
 */
public enum SSLResponse implements BackendMessage {
    /** {@code 'S'}: the server proceeds with the TLS handshake. */
    WILLING('S'),
    /** {@code 'N'}: the client may continue unencrypted with a StartupMessage, or give up. */
    UNWILLING('N');

    private final byte code;

    SSLResponse(char code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The answer for a byte, or null if the byte is neither answer. */
    public static SSLResponse fromCode(byte code) {
        for (SSLResponse response : values()) {
            if (response.code == code) {
                return response;
            }
        }
        return null;
    }

    @Override
    public int encodedLength() {
        return 1;
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeByte(code);
    }

    @Override
    public String toString() {
        return "SSLResponse[" + name() + "]";
    }
}
