package io.pgwarden.protocol;

/**
 * Size limits of the PostgreSQL protocol that the codec enforces on untrusted input.
 */
public final class ProtocolLimits {
    /**
     * The largest startup packet PostgreSQL accepts, {@code MAX_STARTUP_PACKET_LENGTH}. Like
     * PostgreSQL, this counts the packet without its own length word, so the length field may
     * be at most 10,004: a client that PostgreSQL accepts is never refused here.
     */
    public static final int MAX_STARTUP_PACKET_LENGTH = 10_000;

    /** The smallest valid length field of a startup packet: itself and the request code. */
    public static final int MIN_STARTUP_PACKET_LENGTH = 8;

    /** The smallest valid length field of a regular message: itself, with an empty body. */
    public static final int MIN_MESSAGE_LENGTH = 4;

    /** The shortest cancel key: the Int32 of protocol 3.0. */
    public static final int MIN_CANCEL_KEY_LENGTH = 4;

    /** The longest cancel key protocol 3.2 allows (PostgreSQL 18 sends 32 bytes). */
    public static final int MAX_CANCEL_KEY_LENGTH = 256;

    private ProtocolLimits() {
    }
}
