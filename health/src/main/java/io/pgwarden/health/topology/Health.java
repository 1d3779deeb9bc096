package io.pgwarden.health.topology;

/** Probe health of a backend. */
public enum Health {
    /** The last probe answered. */
    UP,
    /** Recent probes failed, fewer than {@code failures-before-down} in a row. Still routed. */
    SUSPECT,
    /** {@code failures-before-down} probes in a row failed (or the node was never reached). */
    DOWN
}
