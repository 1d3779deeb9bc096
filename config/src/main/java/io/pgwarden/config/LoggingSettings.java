package io.pgwarden.config;

import java.util.Objects;

/**
 * Logging: {@code pgwarden.logging}.
 *
 * @param format readable text or JSON lines
 * @param level lowest level written
 */
public record LoggingSettings(LogFormat format, LogLevel level) {

    public LoggingSettings {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(level, "level");
    }
}
