package io.pgwarden.health.topology;

/** What a backend reports itself to be, from {@code pg_is_in_recovery()}. */
public enum Role {
    /** Writable: not in recovery. Being writable does not make it the routed primary; election does. */
    PRIMARY,
    /** In recovery: a streaming or archive-replaying standby. */
    STANDBY,
    /** Never answered a probe yet, or DOWN. */
    UNKNOWN
}
