package io.pgwarden.protocol.scan;

/**
 * Severity of an ErrorResponse, as far as the scanner can tell without allocating.
 *
 * <p>It is taken from the non-localized {@code V} field (PostgreSQL 9.6 and later) when
 * present, else from the {@code S} field, which is localized: a server speaking another
 * language and too old to send {@code V} yields {@link #UNKNOWN}.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-error-fields.html">Error and Notice Message Fields</a>
 */
public enum ErrorSeverity {
    /** The current command failed; the session goes on. */
    ERROR,
    /** The session is ending. */
    FATAL,
    /** All sessions of the server are ending. */
    PANIC,
    /** Severity field missing, localized, or not one of the above. */
    UNKNOWN;

    /** True for FATAL and PANIC: the backend closes the session after this error. */
    public boolean endsSession() {
        return this == FATAL || this == PANIC;
    }
}
