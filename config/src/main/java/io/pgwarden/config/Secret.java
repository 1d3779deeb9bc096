package io.pgwarden.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A password or token from the configuration. {@link #toString()} never shows it, so a
 * settings record can be logged whole without leaking it.
 *
 * @param value the secret itself; read it only where it is sent or compared
 */
public record Secret(String value) {

    public Secret {
        Objects.requireNonNull(value, "value");
    }

    /**
     * Compares in time independent of where the inputs differ, so a bearer-token check does
     * not tell an attacker how much of a guess was right.
     */
    public boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "<redacted>";
    }
}
