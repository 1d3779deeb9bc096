package io.pgwarden.protocol.message.backend;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.message.BackendMessage;

/**
 * The single byte a server answers a GSSENCRequest with: {@code 'G'} if it is willing to perform
 * GSSAPI encryption, {@code 'N'} if not. It has no type byte or length. After {@code 'G'} the
 * handshake starts; any bytes that arrived with the answer were not protected by it and must
 * be rejected (CVE-2021-23222).
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-GSSAPI">GSSAPI session encryption</a>
 */
public enum GSSENCResponse implements BackendMessage {
    /** {@code 'G'}: the server proceeds with the GSSAPI encryption handshake. */
    WILLING('G'),
    /** {@code 'N'}: the client may continue unencrypted with a StartupMessage, or give up. */
    UNWILLING('N');

    private final byte code;

    GSSENCResponse(char code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The answer for a byte, or null if the byte is neither answer. */
    public static GSSENCResponse fromCode(byte code) {
        for (GSSENCResponse response : values()) {
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
        return "GSSENCResponse[" + name() + "]";
    }
}
