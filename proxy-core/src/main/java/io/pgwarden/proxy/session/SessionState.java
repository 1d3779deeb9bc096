package io.pgwarden.proxy.session;

/**
 * Where a client session is, as the admin API shows it. The forwarding states follow
 * PostgreSQL's own {@code pg_stat_activity.state} and the status of the last ReadyForQuery.
 */
public enum SessionState {
    /** Accepted; SSL negotiation and the StartupMessage are awaited. */
    STARTUP,
    /**
     * Waiting: either for a backend to route to (no primary elected, the eligible nodes drained,
     * or traffic paused), or, with traffic paused, with its next transaction kept back until
     * traffic resumes.
     */
    HELD,
    /** A backend was chosen; the TCP connection (and any TLS handshake) to it is under way. */
    CONNECTING,
    /** The startup message was replayed; the authentication exchange is being relayed. */
    AUTHENTICATING,
    /** Between transactions: the last ReadyForQuery said {@code I} and nothing is in flight. */
    IDLE,
    /** A request is in flight: the client has sent something the server has not yet answered with ReadyForQuery. */
    ACTIVE,
    /** Inside a transaction block, waiting for the client ({@code T}). */
    IN_TRANSACTION,
    /** Inside a failed transaction block, waiting for the client to roll back ({@code E}). */
    FAILED_TRANSACTION,
    /** Ending or ended; the session directory and the gauges leave such sessions out. */
    CLOSED;

    /** The state a ReadyForQuery with this transaction status leaves a session in. */
    static SessionState afterReadyForQuery(byte transactionStatus) {
        return switch (transactionStatus) {
            case 'T' -> IN_TRANSACTION;
            case 'E' -> FAILED_TRANSACTION;
            default -> IDLE;
        };
    }
}
