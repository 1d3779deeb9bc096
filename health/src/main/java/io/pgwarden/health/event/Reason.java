package io.pgwarden.health.event;

/** Why a state changed or a decision was taken. */
public enum Reason {
    /** A probe answered. */
    PROBE_SUCCEEDED,
    /** A probe failed: connection refused or broken, query error. */
    PROBE_FAILED,
    /** A probe got no answer before its deadline. */
    PROBE_TIMEOUT,
    /** Persisted state read at start. */
    STATE_FILE,
    /** The only writable node found when no primary was elected yet. */
    INITIAL_DISCOVERY,
    /** Several writable nodes and no elected primary: none is trusted. */
    MULTIPLE_WRITABLE_NODES,
    /** The elected primary failed {@code failures-before-down} probes in a row. */
    PRIMARY_DOWN,
    /** The elected primary answers but reports itself in recovery. */
    ELECTED_PRIMARY_IN_RECOVERY,
    /** A standby still streams from the primary: the proxy, not the primary, is cut off. */
    STANDBY_STILL_STREAMING,
    /** {@code failover.mode = manual}: an operator must trigger failover. */
    MANUAL_MODE,
    /** {@code failover.mode = external}: another manager promotes. */
    EXTERNAL_MODE,
    /** No standby qualifies for promotion. */
    NO_CANDIDATE,
    /** Candidate not UP, or not a standby. */
    NOT_HEALTHY,
    /** Candidate is fenced. */
    FENCED,
    /** Candidate has priority 0. */
    PRIORITY_ZERO,
    /** Candidate is further behind the lost primary than {@code max-lag-on-failover}. */
    LAG_EXCEEDED,
    /** Candidate's WAL position is unknown. */
    POSITION_UNKNOWN,
    /** The promote action failed or timed out. */
    PROMOTE_ACTION_FAILED,
    /** The candidate did not become writable within {@code promote-timeout}. */
    NOT_WRITABLE_IN_TIME,
    /** The candidate was promoted and is writable. */
    PROMOTED,
    /** A node is writable without being the elected primary. */
    WRITABLE_WITHOUT_ELECTION,
    /** In external mode, another manager promoted this node. */
    EXTERNAL_PROMOTION,
    /** An operator asked (admin API). */
    OPERATOR_REQUEST,
    /** A fenced node runs as a standby on the elected primary's timeline. */
    AUTO_REJOIN,
    /** A planned switchover. */
    SWITCHOVER,
    /** The node cannot be reached, so an action needing a connection is skipped. */
    NODE_UNREACHABLE,
    /** Sessions did not become idle in time. */
    SESSIONS_NOT_IDLE,
    /** The candidate did not replay the primary's last position in time. */
    CATCH_UP_TIMEOUT,
    /** Remaining standbys are pointed at the new primary. */
    FOLLOW_NEW_PRIMARY,
    /** A node that is fenced runs a rejoin action. */
    REJOIN_FENCED_NODE,
    /** The on-state-change hook. */
    STATE_CHANGED,
    /** The state store failed. */
    STORAGE_ERROR,
    /** The configuration file was read again (admin API reload, SIGHUP). */
    CONFIGURATION_RELOADED
}
