package io.pgwarden.health.event;

/** How an event ended. */
public enum Outcome {
    /** An observation, not a decision. */
    OBSERVED,
    SUCCEEDED,
    FAILED,
    /** A decision not to act (e.g. failover held back, second primary refused). */
    REFUSED,
    /** Something not attempted, with a reason (e.g. a candidate skipped). */
    SKIPPED
}
