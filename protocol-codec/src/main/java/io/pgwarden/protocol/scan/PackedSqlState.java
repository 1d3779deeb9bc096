package io.pgwarden.protocol.scan;

/**
 * A five-character SQLSTATE packed into an {@code int}, so the scanner can report it without
 * allocating. The packing is PostgreSQL's own {@code MAKE_SQLSTATE}: six bits per character,
 * the first character in the lowest bits; the SQLSTATE class (first two characters) is
 * therefore {@code packed & 0xFFF}.
 */
public final class PackedSqlState {

    /** Reported when an ErrorResponse has no well-formed {@code C} field. */
    public static final int NONE = -1;

    private static final int LENGTH = 5;
    private static final int BITS_PER_CHAR = 6;
    private static final int CLASS_MASK = (1 << (2 * BITS_PER_CHAR)) - 1;

    private PackedSqlState() {
    }

    /**
     * Packs a SQLSTATE such as {@code "57P01"}.
     *
     * @throws IllegalArgumentException unless {@code code} is five characters of [0-9A-Z]
     */
    public static int pack(CharSequence code) {
        if (code.length() != LENGTH) {
            throw new IllegalArgumentException("a SQLSTATE has five characters: \"" + code + "\"");
        }
        int packed = 0;
        for (int i = 0; i < LENGTH; i++) {
            final char c = code.charAt(i);
            if (!isSqlStateChar(c)) {
                throw new IllegalArgumentException("a SQLSTATE consists of 0-9 and A-Z: \"" + code + "\"");
            }
            packed |= sixBits(c) << (BITS_PER_CHAR * i);
        }
        return packed;
    }

    /**
     * Packs the five characters held in the low 40 bits of {@code bytes}, first character in
     * the highest of those bytes; {@link #NONE} if any is not in [0-9A-Z].
     */
    static int packBytes(long bytes) {
        int packed = 0;
        for (int i = 0; i < LENGTH; i++) {
            final int c = (int) (bytes >>> (8 * (LENGTH - 1 - i))) & 0xFF;
            if (!isSqlStateChar(c)) {
                return NONE;
            }
            packed |= sixBits(c) << (BITS_PER_CHAR * i);
        }
        return packed;
    }

    /** The five-character code, e.g. {@code "57P01"}; {@code null} for {@link #NONE}. */
    public static String unpack(int packed) {
        if (packed == NONE) {
            return null;
        }
        final char[] chars = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            chars[i] = (char) (((packed >>> (BITS_PER_CHAR * i)) & 0x3F) + '0');
        }
        return new String(chars);
    }

    /** The packed SQLSTATE class, comparable with {@code sqlStateClass(pack("08000"))}. */
    public static int sqlStateClass(int packed) {
        return packed == NONE ? NONE : packed & CLASS_MASK;
    }

    private static boolean isSqlStateChar(int c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
    }

    private static int sixBits(int c) {
        return (c - '0') & 0x3F;
    }
}
