package io.pgwarden.admin.port;

/**
 * Where a client session stands, as the proxy tracks it from the protocol. The forwarding states
 * follow {@code pg_stat_activity.state} and the status of the last {@code ReadyForQuery}.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html#PROTOCOL-MESSAGE-FORMATS-READYFORQUERY">ReadyForQuery</a>
 */
public enum SessionState {
    /** Accepted; SSL negotiation and the StartupMessage are awaited. */
    STARTUP("startup"),
    /** Waiting for a backend (none eligible: failover in progress, nodes drained) or for the end of a pause. */
    HELD("held"),
    /** A backend was chosen; the connection to it is being opened. */
    CONNECTING("connecting"),
    /** The authentication exchange with the backend is being relayed. */
    AUTHENTICATING("authenticating"),
    /** Between transactions: the last {@code ReadyForQuery} said {@code I}. */
    IDLE("idle"),
    /** A request is in flight, not yet answered with {@code ReadyForQuery}. */
    ACTIVE("active"),
    /** Inside a transaction block, waiting for the client ({@code T}). */
    IN_TRANSACTION("in-transaction"),
    /** Inside a failed transaction block, waiting for the client to roll back ({@code E}). */
    FAILED_TRANSACTION("failed-transaction");

    private final String wireName;

    SessionState(String wireName) {
        this.wireName = wireName;
    }

    /** The spelling in JSON and metric labels. */
    public String wireName() {
        return wireName;
    }
}
