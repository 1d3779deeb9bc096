package io.pgwarden.protocol;

/**
 * The SQLSTATE codes pgwarden itself sends to clients, named as in the PostgreSQL
 * documentation, Appendix A "PostgreSQL Error Codes".
 *
 * @see <a href="https://www.postgresql.org/docs/current/errcodes-appendix.html">Error codes</a>
 */
public enum SqlState {
    /** 01000: a warning, sent in a NoticeResponse. */
    WARNING("01000"),
    /** 08000: generic connection failure. */
    CONNECTION_EXCEPTION("08000"),
    /** 08001: the proxy could not reach any suitable backend. */
    SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION("08001"),
    /** 08004: the backend refused the connection. */
    SQLSERVER_REJECTED_ESTABLISHMENT_OF_SQLCONNECTION("08004"),
    /** 08006: a connection broke (backend vanished mid-session). */
    CONNECTION_FAILURE("08006"),
    /** 08P01: malformed or oversized protocol message. */
    PROTOCOL_VIOLATION("08P01"),
    /** 0A000: a request the proxy does not support (e.g. replication connections). */
    FEATURE_NOT_SUPPORTED("0A000"),
    /** 28000: client not allowed (no matching listener rule). */
    INVALID_AUTHORIZATION_SPECIFICATION("28000"),
    /** 28P01: wrong password. */
    INVALID_PASSWORD("28P01"),
    /** 53300: max client connections reached. */
    TOO_MANY_CONNECTIONS("53300"),
    /** 57014: statement cancelled. */
    QUERY_CANCELED("57014"),
    /** 57P01: the session is terminated by the proxy (failover, admin). */
    ADMIN_SHUTDOWN("57P01"),
    /** 57P03: no backend can accept the connection yet (hold timeout passed). */
    CANNOT_CONNECT_NOW("57P03"),
    /** 57P05: the session was idle longer than the client idle timeout, as with {@code idle_session_timeout}. */
    IDLE_SESSION_TIMEOUT("57P05"),
    /** 25006: a write was attempted on a read-only route. */
    READ_ONLY_SQL_TRANSACTION("25006"),
    /** 58000: system error in the proxy. */
    SYSTEM_ERROR("58000"),
    /** XX000: internal error in the proxy. */
    INTERNAL_ERROR("XX000");

    private final String code;

    SqlState(String code) {
        this.code = code;
    }

    /** The five-character code as sent in the {@code C} field of an ErrorResponse. */
    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return code;
    }
}
