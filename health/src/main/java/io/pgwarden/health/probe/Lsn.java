package io.pgwarden.health.probe;

/**
 * A write-ahead log location, the {@code pg_lsn} type: a 64-bit byte position written by
 * PostgreSQL as two hexadecimal halves, {@code 16/B374D848}.
 *
 * @param value the position as an unsigned 64-bit number (positions past 2^63 do not occur in practice)
 * @see <a href="https://www.postgresql.org/docs/current/datatype-pg-lsn.html">pg_lsn Type</a>
 */
public record Lsn(long value) implements Comparable<Lsn> {

    public static final Lsn ZERO = new Lsn(0);

    /** Parses the text form, e.g. {@code 0/3000148}. */
    public static Lsn parse(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("not an LSN: " + text);
        }
        long high = Long.parseLong(text.substring(0, slash), 16);
        long low = Long.parseLong(text.substring(slash + 1), 16);
        if (high > 0xFFFF_FFFFL || low > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("not an LSN: " + text);
        }
        return new Lsn(high << 32 | low);
    }

    /** Bytes of WAL from {@code other} up to this position; negative when {@code other} is ahead. */
    public long minus(Lsn other) {
        return value - other.value;
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toHexString(value >>> 32).toUpperCase() + "/" + Long.toHexString(value & 0xFFFF_FFFFL).toUpperCase();
    }
}
