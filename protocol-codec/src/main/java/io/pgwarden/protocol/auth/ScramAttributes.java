package io.pgwarden.protocol.auth;

import java.util.Base64;

/** The attribute syntax shared by all SCRAM messages (RFC 5802 section 7). */
final class ScramAttributes {

    private ScramAttributes() {
    }

    /** The comma-separated parts of a message; values never contain a comma. */
    static String[] split(String message) {
        return message.split(",", -1);
    }

    /** The value of {@code part}, which must be the attribute {@code name=value}. */
    static String value(String[] parts, int index, char name, String what) {
        if (index >= parts.length) {
            throw ScramException.malformed("attribute '" + name + "' (" + what + ") expected, found end of message");
        }
        final String part = parts[index];
        if (part.length() < 2 || part.charAt(0) != name || part.charAt(1) != '=') {
            throw ScramException.malformed("attribute '" + name + "' (" + what + ") expected, found \""
                + printable(part) + "\"");
        }
        return part.substring(2);
    }

    /** Rejects the reserved mandatory-extension attribute {@code m=} that no one implements. */
    static void rejectMandatoryExtension(String[] parts, int index) {
        if (index < parts.length && parts[index].startsWith("m=")) {
            throw ScramException.malformed("mandatory extension \"m\" is not supported");
        }
    }

    /** Optional extensions must at least look like attributes: ALPHA "=" value. */
    static void checkExtensions(String[] parts, int from, int to) {
        for (int i = from; i < to; i++) {
            final String part = parts[i];
            if (part.length() < 2 || !isAlpha(part.charAt(0)) || part.charAt(1) != '=') {
                throw ScramException.malformed("invalid attribute \"" + printable(part) + "\"");
            }
        }
    }

    static byte[] base64(String value, String what) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw ScramException.malformed("invalid base64 in " + what);
        }
    }

    static String base64(byte[] value) {
        return Base64.getEncoder().encodeToString(value);
    }

    /** A nonce: one or more printable ASCII characters other than comma. */
    static String nonce(String value) {
        if (value.isEmpty()) {
            throw ScramException.malformed("empty nonce");
        }
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (c < 0x21 || c > 0x7E || c == ',') {
                throw ScramException.malformed("nonce contains a character that is not printable ASCII");
            }
        }
        return value;
    }

    /** Decodes a saslname: "=2C" is a comma, "=3D" an equals sign, any other "=" is an error. */
    static String decodeSaslName(String value) {
        if (value.indexOf('=') < 0) {
            return value;
        }
        final StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            final char c = value.charAt(i);
            if (c != '=') {
                out.append(c);
            } else if (value.startsWith("=2C", i)) {
                out.append(',');
                i += 2;
            } else if (value.startsWith("=3D", i)) {
                out.append('=');
                i += 2;
            } else {
                throw ScramException.malformed("invalid escape in user name");
            }
        }
        return out.toString();
    }

    static String encodeSaslName(String value) {
        return value.replace("=", "=3D").replace(",", "=2C");
    }

    /** A short, log-safe rendering of untrusted text for error messages. */
    static String printable(String value) {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && i < 40; i++) {
            final char c = value.charAt(i);
            out.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return value.length() > 40 ? out + "..." : out.toString();
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
