package io.pgwarden.protocol.message;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * The protocol's {@code String} type: a NUL-terminated byte string, read and written as
 * UTF-8 without ever losing a byte.
 *
 * <p>A session's {@code client_encoding} need not be UTF-8, and a hostile peer may send any
 * bytes, yet a decoded message must re-encode to exactly the bytes it came from. Valid UTF-8
 * decodes to the expected characters; each byte that is not part of a valid UTF-8 sequence
 * decodes to the lone surrogate {@code U+DC80..U+DCFF} (the "surrogateescape" scheme), which
 * encoding turns back into that byte. Valid UTF-8 never yields a lone surrogate, so the mapping
 * is reversible.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-types.html">Message Data Types</a>
 */
public final class CString {
    private static final char ESCAPE_BASE = 0xDC00;
    private static final char REPLACEMENT = '?';

    private CString() {
    }

    /**
     * Decodes {@code length} bytes of {@code buf} at {@code index} (without the terminator).
     * Indexes are unchanged.
     */
    public static String decode(ByteBuf buf, int index, int length) {
        char[] chars = new char[length];
        int count = 0;
        int end = index + length;
        int i = index;
        while (i < end) {
            int b0 = buf.getByte(i) & 0xff;
            if (b0 < 0x80) {
                chars[count++] = (char) b0;
                i++;
                continue;
            }
            int sequenceLength = validSequenceLength(buf, i, end, b0);
            if (sequenceLength == 0) {
                chars[count++] = (char) (ESCAPE_BASE | b0);
                i++;
            } else if (sequenceLength == 2) {
                chars[count++] = (char) (((b0 & 0x1f) << 6) | (buf.getByte(i + 1) & 0x3f));
                i += 2;
            } else if (sequenceLength == 3) {
                chars[count++] = (char) (((b0 & 0x0f) << 12) | ((buf.getByte(i + 1) & 0x3f) << 6)
                        | (buf.getByte(i + 2) & 0x3f));
                i += 3;
            } else {
                int codePoint = ((b0 & 0x07) << 18) | ((buf.getByte(i + 1) & 0x3f) << 12)
                        | ((buf.getByte(i + 2) & 0x3f) << 6) | (buf.getByte(i + 3) & 0x3f);
                chars[count++] = Character.highSurrogate(codePoint);
                chars[count++] = Character.lowSurrogate(codePoint);
                i += 4;
            }
        }
        return new String(chars, 0, count);
    }

    /** The length of the well-formed UTF-8 sequence starting at {@code i}, or 0 if none. */
    private static int validSequenceLength(ByteBuf buf, int i, int end, int b0) {
        if (b0 >= 0xc2 && b0 <= 0xdf) {
            return i + 1 < end && isContinuation(buf.getByte(i + 1)) ? 2 : 0;
        }
        if (b0 >= 0xe0 && b0 <= 0xef) {
            if (i + 2 >= end) {
                return 0;
            }
            int b1 = buf.getByte(i + 1) & 0xff;
            // Exclude overlong forms (E0 80..9F) and UTF-16 surrogates (ED A0..BF).
            int low = b0 == 0xe0 ? 0xa0 : 0x80;
            int high = b0 == 0xed ? 0x9f : 0xbf;
            return b1 >= low && b1 <= high && isContinuation(buf.getByte(i + 2)) ? 3 : 0;
        }
        if (b0 >= 0xf0 && b0 <= 0xf4) {
            if (i + 3 >= end) {
                return 0;
            }
            int b1 = buf.getByte(i + 1) & 0xff;
            // Exclude overlong forms (F0 80..8F) and code points above U+10FFFF (F4 90..).
            int low = b0 == 0xf0 ? 0x90 : 0x80;
            int high = b0 == 0xf4 ? 0x8f : 0xbf;
            return b1 >= low && b1 <= high && isContinuation(buf.getByte(i + 2))
                    && isContinuation(buf.getByte(i + 3)) ? 4 : 0;
        }
        return 0;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xc0) == 0x80;
    }

    /** The number of bytes {@link #write} writes for {@code s}, terminator included. */
    public static int encodedLength(String s) {
        int length = 1;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                length += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                length += 1;
            } else {
                length += 3;
            }
        }
        return length;
    }

    /**
     * Writes {@code s} and its NUL terminator. An escaped byte ({@code U+DC80..U+DCFF}) is
     * written as that byte; any other unpaired surrogate as {@code '?'}, as Java's own encoder does.
     */
    public static void write(ByteBuf out, String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out.writeByte(c);
            } else if (c < 0x800) {
                out.writeByte(0xc0 | (c >> 6));
                out.writeByte(0x80 | (c & 0x3f));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, s.charAt(++i));
                out.writeByte(0xf0 | (codePoint >> 18));
                out.writeByte(0x80 | ((codePoint >> 12) & 0x3f));
                out.writeByte(0x80 | ((codePoint >> 6) & 0x3f));
                out.writeByte(0x80 | (codePoint & 0x3f));
            } else if (Character.isSurrogate(c)) {
                out.writeByte(c >= 0xdc80 && c <= 0xdcff ? c & 0xff : REPLACEMENT);
            } else {
                out.writeByte(0xe0 | (c >> 12));
                out.writeByte(0x80 | ((c >> 6) & 0x3f));
                out.writeByte(0x80 | (c & 0x3f));
            }
        }
        out.writeByte(0);
    }

    /**
     * Checks that {@code s} can be sent as a protocol string: non-null and without NUL, which
     * would end the string early on the wire.
     *
     * @return {@code s}
     * @throws IllegalArgumentException if {@code s} contains a NUL character
     */
    public static String requireValid(String s, String what) {
        Objects.requireNonNull(s, what);
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " must not contain a NUL character");
        }
        return s;
    }
}
