package io.pgwarden.protocol.message;

/**
 * A protocol version as sent in a StartupMessage: major version in the high 16 bits of the
 * Int32, minor in the low 16 bits. PostgreSQL 18 speaks 3.0 and 3.2 (3.1 was never used).
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-overview.html#PROTOCOL-VERSIONS">Protocol versions</a>
 */
public record ProtocolVersion(int major, int minor) {
    /** 3.0, spoken by every server since PostgreSQL 7.4; the code 196608. */
    public static final ProtocolVersion V3_0 = new ProtocolVersion(3, 0);
    /** 3.2, PostgreSQL 18: variable-length cancel keys; the code 196610. */
    public static final ProtocolVersion V3_2 = new ProtocolVersion(3, 2);

    public ProtocolVersion {
        if (major < 0 || major > 0xffff || minor < 0 || minor > 0xffff) {
            throw new IllegalArgumentException("protocol version " + major + "." + minor
                    + " does not fit in two unsigned 16-bit numbers");
        }
    }

    /** The version from its Int32 wire code. */
    public static ProtocolVersion fromCode(int code) {
        return new ProtocolVersion(code >>> 16, code & 0xffff);
    }

    /** The Int32 wire code. */
    public int code() {
        return major << 16 | minor;
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
