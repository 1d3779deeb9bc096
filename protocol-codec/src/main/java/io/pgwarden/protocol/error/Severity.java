package io.pgwarden.protocol.error;

import java.util.Optional;

/**
 * The severity of an ErrorResponse ({@link #ERROR}, {@link #FATAL}, {@link #PANIC}) or of a
 * NoticeResponse (the others), as sent, never localized, in the {@code V} field.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-error-fields.html">Error and Notice Message Fields</a>
 */
public enum Severity {
    /** The command failed; the session continues. */
    ERROR(true),
    /** The session ends. */
    FATAL(true),
    /** All sessions of the server end. */
    PANIC(true),
    WARNING(false),
    NOTICE(false),
    DEBUG(false),
    INFO(false),
    LOG(false);

    private final boolean error;

    Severity(boolean error) {
        this.error = error;
    }

    /** Whether this severity belongs in an ErrorResponse rather than a NoticeResponse. */
    public boolean isError() {
        return error;
    }

    /** The severity named by a {@code V} (or unlocalized {@code S}) field value, if it is one. */
    public static Optional<Severity> fromWire(String value) {
        for (Severity severity : values()) {
            if (severity.name().equals(value)) {
                return Optional.of(severity);
            }
        }
        return Optional.empty();
    }
}
