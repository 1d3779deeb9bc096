package io.pgwarden.health.event;

/** What happened. The {@link Reason} says why. */
public enum EventKind {
    /** The cluster state was read from the state store at start. */
    STATE_RESTORED,
    /** A node went UP, SUSPECT or DOWN. */
    NODE_HEALTH_CHANGED,
    /** A node began to report another role (e.g. a standby was promoted). */
    NODE_ROLE_CHANGED,
    /** A primary was elected; the epoch increased. */
    PRIMARY_ELECTED,
    /** The elected primary is confirmed lost. */
    PRIMARY_LOST,
    /** The primary looks lost but failover is held back (the reason says why). */
    FAILOVER_HELD,
    FAILOVER_STARTED,
    /** A standby is not promoted (the reason says why). */
    CANDIDATE_SKIPPED,
    FAILOVER_COMPLETED,
    FAILOVER_FAILED,
    SWITCHOVER_STARTED,
    SWITCHOVER_COMPLETED,
    SWITCHOVER_FAILED,
    /** A node was fenced: never routed to until unfenced. */
    NODE_FENCED,
    NODE_UNFENCED,
    /** A node reports itself writable without being elected. */
    ROGUE_PRIMARY,
    /** An action (promote, fence, follow, rejoin, on-state-change) ran; the event holds its result. */
    ACTION_COMPLETED,
    /** The cluster state could not be saved to the state store. */
    STATE_SAVE_FAILED,
    /** A reload added a backend: it is probed from now on, and routed once it qualifies. */
    NODE_ADDED,
    /** A reload removed a backend: no longer probed or routed, its sessions ended. */
    NODE_REMOVED,
    /** A reload changed a backend's address (probed anew, sessions ended) or its failover priority. */
    NODE_CHANGED,
    /** A reload changed health or failover settings. */
    SETTINGS_CHANGED
}
