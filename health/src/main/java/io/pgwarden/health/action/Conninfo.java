package io.pgwarden.health.action;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A libpq connection string in keyword/value form, as in {@code primary_conninfo}: parsed so the
 * built-in follow can change host and port and keep everything else (user, password, sslmode,
 * application_name).
 *
 * @see <a href="https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-KEYWORD-VALUE">Keyword/Value Connection Strings</a>
 */
final class Conninfo {

    private final Map<String, String> values;

    private Conninfo(Map<String, String> values) {
        this.values = values;
    }

    static Conninfo empty() {
        return new Conninfo(new LinkedHashMap<>());
    }

    /** Parses {@code keyword = value} pairs; values may be single-quoted with {@code \'} and {@code \\}. */
    static Conninfo parse(String text) {
        if (text.startsWith("postgresql://") || text.startsWith("postgres://")) {
            throw new IllegalArgumentException("connection URIs are not supported, only keyword/value strings");
        }
        Map<String, String> values = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int keyStart = i;
            while (i < n && text.charAt(i) != '=' && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            String key = text.substring(keyStart, i);
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= n || text.charAt(i) != '=' || key.isEmpty()) {
                throw new IllegalArgumentException("missing \"=\" after \"" + key + "\" in connection string");
            }
            i++;
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && text.charAt(i) == '\'') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = text.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(text.charAt(i++));
                    } else if (c == '\'') {
                        closed = true;
                        break;
                    } else {
                        value.append(c);
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException("unterminated quoted value of \"" + key + "\"");
                }
            } else {
                while (i < n && !Character.isWhitespace(text.charAt(i))) {
                    char c = text.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(text.charAt(i++));
                    } else {
                        value.append(c);
                    }
                }
            }
            values.put(key, value.toString());
        }
        return new Conninfo(values);
    }

    Conninfo with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(key, value);
        return new Conninfo(copy);
    }

    Conninfo without(String key) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.remove(key);
        return new Conninfo(copy);
    }

    Map<String, String> values() {
        return Collections.unmodifiableMap(values);
    }

    /** Every value quoted, so spaces and quotes in passwords survive. */
    String format() {
        StringBuilder text = new StringBuilder();
        values.forEach((key, value) -> {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(key).append("='").append(value.replace("\\", "\\\\").replace("'", "\\'")).append('\'');
        });
        return text.toString();
    }

    /** {@link #format()} without the password, for logs and events. */
    String formatRedacted() {
        return (values.containsKey("password") ? with("password", "<redacted>") : this).format();
    }
}
