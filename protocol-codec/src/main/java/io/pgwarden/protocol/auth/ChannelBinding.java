package io.pgwarden.protocol.auth;

import java.util.Arrays;
import java.util.Objects;

/**
 * The channel-binding choice of a SCRAM client, announced in the GS2 header of its first
 * message (RFC 5802 section 7) and repeated, with the binding data, in its final message.
 * PostgreSQL supports only the {@code tls-server-end-point} type (RFC 5929): the hash of the
 * server's TLS certificate.
 *
 * @param flag what the client says about channel binding
 * @param data for {@link Flag#BOUND}, the {@code tls-server-end-point} data; empty otherwise
 */
public record ChannelBinding(Flag flag, byte[] data) {

    /** The one channel-binding type PostgreSQL implements. */
    public static final String TLS_SERVER_END_POINT = "tls-server-end-point";

    /** The GS2 channel-binding flag. */
    public enum Flag {
        /** {@code n}: the client does not support channel binding (e.g. no TLS). */
        NOT_SUPPORTED,
        /**
         * {@code y}: the client supports channel binding but believes the server does not,
         * because no {@code -PLUS} mechanism was offered. A server that does support it must
         * reject this, since it signals a downgrade.
         */
        NOT_OFFERED,
        /** {@code p=tls-server-end-point}: the exchange is bound to the TLS channel. */
        BOUND
    }

    public ChannelBinding {
        Objects.requireNonNull(flag, "flag");
        if ((flag == Flag.BOUND) == (data.length == 0)) {
            throw new IllegalArgumentException("binding data is required for, and only for, " + Flag.BOUND);
        }
        data = data.clone();
    }

    /** {@code n,,}: no channel binding. */
    public static ChannelBinding notSupported() {
        return new ChannelBinding(Flag.NOT_SUPPORTED, new byte[0]);
    }

    /** {@code y,,}: supported by the client, not offered by the server. */
    public static ChannelBinding notOffered() {
        return new ChannelBinding(Flag.NOT_OFFERED, new byte[0]);
    }

    /** {@code p=tls-server-end-point,,} with the hash of the server certificate (RFC 5929 section 4.1). */
    public static ChannelBinding tlsServerEndPoint(byte[] certificateHash) {
        return new ChannelBinding(Flag.BOUND, certificateHash);
    }

    /** The GS2 header that starts the client-first-message (no authorization identity). */
    public String gs2Header() {
        return switch (flag) {
            case NOT_SUPPORTED -> "n,,";
            case NOT_OFFERED -> "y,,";
            case BOUND -> "p=" + TLS_SERVER_END_POINT + ",,";
        };
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChannelBinding other && flag == other.flag && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * flag.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return flag == Flag.BOUND ? gs2Header() + "<" + data.length + " bytes>" : gs2Header();
    }
}
