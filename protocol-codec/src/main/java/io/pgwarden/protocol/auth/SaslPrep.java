package io.pgwarden.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * SASLprep (RFC 4013, a profile of stringprep, RFC 3454) of a password, with PostgreSQL's rule
 * for what happens when it cannot be applied: the password is then used as it is.
 *
 * <p>The rule, exactly as PostgreSQL's {@code pg_saslprep} applies it:
 * <ol>
 *   <li>A password of ASCII characters only is used unchanged (even with control
 *       characters).</li>
 *   <li>Otherwise non-ASCII spaces (table C.1.2) become U+0020 and the "commonly mapped to
 *       nothing" characters (table B.1) are removed; if nothing is left, SASLprep fails.</li>
 *   <li>The result is normalized to NFKC.</li>
 *   <li>SASLprep fails if the mapped (not yet normalized) string, which is what PostgreSQL
 *       checks, contains a prohibited character (tables C.1.2, C.2.1, C.2.2, C.3 to C.9) or
 *       an unassigned code point, or breaks the bidirectional rule (RFC 3454 section 6).</li>
 *   <li>If SASLprep fails, the raw password is used.</li>
 * </ol>
 * One difference remains: PostgreSQL treats code points unassigned in Unicode 3.2 as
 * unassigned, whereas here "unassigned" and the bidirectional categories come from the Java
 * runtime's newer Unicode tables. A password that contains a character added after Unicode
 * 3.2 (an emoji, say) makes PostgreSQL fall back to the raw password, while here it is
 * normalized; the two agree unless NFKC changes such a password.
 */
public final class SaslPrep {

    private SaslPrep() {
    }

    /** The UTF-8 bytes SCRAM hashes for {@code password}: SASLprep'ed if possible, else raw. */
    public static byte[] passwordBytes(String password) {
        final String prepared = prepare(password);
        return (prepared != null ? prepared : password).getBytes(StandardCharsets.UTF_8);
    }

    /** SASLprep of {@code value} as described above, or {@code null} where it fails. */
    public static String prepare(String value) {
        if (isAscii(value)) {
            return value;
        }
        final int[] mapped = value.codePoints()
            .filter(cp -> !isMappedToNothing(cp))
            .map(cp -> isNonAsciiSpace(cp) ? ' ' : cp)
            .toArray();
        if (mapped.length == 0) {
            return null;
        }
        boolean hasRandALCat = false;
        boolean hasLCat = false;
        for (int cp : mapped) {
            if (isProhibited(cp) || !Character.isDefined(cp)) {
                return null;
            }
            hasRandALCat |= isRandALCat(cp);
            hasLCat |= Character.getDirectionality(cp) == Character.DIRECTIONALITY_LEFT_TO_RIGHT;
        }
        if (hasRandALCat && (hasLCat || !isRandALCat(mapped[0]) || !isRandALCat(mapped[mapped.length - 1]))) {
            return null;
        }
        return Normalizer.normalize(new String(mapped, 0, mapped.length), Normalizer.Form.NFKC);
    }

    private static boolean isAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Table C.1.2, as PostgreSQL reads it (including U+200B). */
    private static boolean isNonAsciiSpace(int cp) {
        return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B)
            || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /** Table B.1. U+200B is also in C.1.2, which takes precedence, as in PostgreSQL. */
    private static boolean isMappedToNothing(int cp) {
        return !isNonAsciiSpace(cp) && (cp == 0x00AD || cp == 0x034F || cp == 0x1806
            || (cp >= 0x180B && cp <= 0x180D) || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060
            || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF);
    }

    /** The prohibited-output tables of the SASLprep profile: C.1.2, C.2.1, C.2.2, C.3 to C.9. */
    private static boolean isProhibited(int cp) {
        return isNonAsciiSpace(cp)                                        // C.1.2
            || cp <= 0x001F || cp == 0x007F                               // C.2.1
            || (cp >= 0x0080 && cp <= 0x009F) || cp == 0x06DD || cp == 0x070F || cp == 0x180E
            || cp == 0x200C || cp == 0x200D || cp == 0x2028 || cp == 0x2029
            || (cp >= 0x2060 && cp <= 0x2063) || (cp >= 0x206A && cp <= 0x206F) || cp == 0xFEFF
            || (cp >= 0xFFF9 && cp <= 0xFFFC) || (cp >= 0x1D173 && cp <= 0x1D17A)  // C.2.2
            || (cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000                    // C.3 (and C.4 above)
            || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE          // C.4
            || (cp >= 0xD800 && cp <= 0xDFFF)                                     // C.5
            || (cp >= 0xFFF9 && cp <= 0xFFFD)                                     // C.6
            || (cp >= 0x2FF0 && cp <= 0x2FFB)                                     // C.7
            || cp == 0x0340 || cp == 0x0341 || cp == 0x200E || cp == 0x200F
            || (cp >= 0x202A && cp <= 0x202E)                                     // C.8
            || cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F);                 // C.9
    }

    private static boolean isRandALCat(int cp) {
        final byte direction = Character.getDirectionality(cp);
        return direction == Character.DIRECTIONALITY_RIGHT_TO_LEFT
            || direction == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC;
    }
}
