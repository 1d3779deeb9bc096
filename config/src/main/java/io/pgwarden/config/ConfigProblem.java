package io.pgwarden.config;

import java.util.Objects;
import java.util.Optional;

/**
 * One thing wrong with a configuration.
 *
 * @param key full key path, e.g. {@code pgwarden.backends[1].port} (list indexes count from 0);
 *     empty when the problem concerns the file as a whole (syntax error, unreadable file)
 * @param value the offending value as written in HOCON ({@code 70000}, {@code "fast"}),
 *     {@code <redacted>} for secrets; empty when there is none to show (missing or unknown keys)
 * @param message what is wrong and, where it helps, what is allowed
 * @param location {@code file:line} of the offending value when it comes from the operator's
 *     file ({@code line N} for a parsed string); empty for defaults and environment values
 */
public record ConfigProblem(String key, Optional<String> value, String message, Optional<String> location) {

    public ConfigProblem {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(location, "location");
    }

    /**
     * One line for an operator, e.g.
     * {@code pgwarden.conf:14: pgwarden.backends[1].port = 70000: not a port (1-65535)}.
     */
    public String describe() {
        StringBuilder line = new StringBuilder();
        location.ifPresent(where -> line.append(where).append(": "));
        if (!key.isEmpty()) {
            line.append(key);
            value.ifPresent(shown -> line.append(" = ").append(shown));
            line.append(": ");
        }
        return line.append(message).toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
