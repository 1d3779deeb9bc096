package io.pgwarden.protocol.auth;

import io.netty.buffer.ByteBuf;
import io.pgwarden.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The list of SASL mechanisms in an AuthenticationSASL message: after the Int32 10, a sequence
 * of NUL-terminated mechanism names ending with an empty name (a lone NUL).
 *
 * <p>A proxy that terminates TLS cannot pass channel binding through: the client would bind
 * to the proxy's certificate, the server expects its own. It therefore removes
 * {@value #SCRAM_SHA_256_PLUS} from the list before relaying it.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-AUTHENTICATIONSASL">AuthenticationSASL</a>
 */
public final class SaslMechanismList {

    public static final String SCRAM_SHA_256 = "SCRAM-SHA-256";
    public static final String SCRAM_SHA_256_PLUS = "SCRAM-SHA-256-PLUS";

    private SaslMechanismList() {
    }

    /**
     * Copies the mechanism list starting at {@code in}'s readerIndex to {@code out}, leaving out
     * {@value #SCRAM_SHA_256_PLUS}, and moves {@code in}'s readerIndex past the list's final
     * NUL. Nothing is read or written if the list is malformed.
     *
     * @return the number of mechanisms written (0 if the server offered only the one removed)
     * @throws ProtocolException (08P01) if the list has no terminating empty name within the
     *         readable bytes
     */
    public static int writeWithoutChannelBinding(ByteBuf in, ByteBuf out) {
        return writeWithout(in, out, SCRAM_SHA_256_PLUS);
    }

    /** As {@link #writeWithoutChannelBinding}, leaving out {@code excluded} instead. */
    public static int writeWithout(ByteBuf in, ByteBuf out, String excluded) {
        final byte[] excludedBytes = excluded.getBytes(StandardCharsets.UTF_8);
        final int end = listEnd(in);
        int written = 0;
        int start = in.readerIndex();
        while (start < end - 1) {
            final int nul = in.indexOf(start, end, (byte) 0);
            final int length = nul - start;
            if (!nameEquals(in, start, length, excludedBytes)) {
                out.writeBytes(in, start, length + 1);
                written++;
            }
            start = nul + 1;
        }
        out.writeByte(0);
        in.readerIndex(end);
        return written;
    }

    /**
     * Reads the mechanism names, moving {@code in}'s readerIndex past the list.
     *
     * @throws ProtocolException (08P01) if the list is not terminated
     */
    public static List<String> read(ByteBuf in) {
        final int end = listEnd(in);
        final List<String> names = new ArrayList<>();
        int start = in.readerIndex();
        while (start < end - 1) {
            final int nul = in.indexOf(start, end, (byte) 0);
            names.add(in.toString(start, nul - start, StandardCharsets.UTF_8));
            start = nul + 1;
        }
        in.readerIndex(end);
        return names;
    }

    /** The index just after the empty name that ends the list starting at the readerIndex. */
    private static int listEnd(ByteBuf in) {
        int start = in.readerIndex();
        final int limit = in.writerIndex();
        while (true) {
            final int nul = in.indexOf(start, limit, (byte) 0);
            if (nul < 0) {
                throw new ProtocolException("SASL mechanism list in AuthenticationSASL is not terminated");
            }
            if (nul == start) {
                return nul + 1;
            }
            start = nul + 1;
        }
    }

    private static boolean nameEquals(ByteBuf in, int start, int length, byte[] name) {
        if (length != name.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (in.getByte(start + i) != name[i]) {
                return false;
            }
        }
        return true;
    }
}
