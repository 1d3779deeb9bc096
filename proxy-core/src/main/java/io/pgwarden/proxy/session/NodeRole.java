package io.pgwarden.proxy.session;

/** The role a node had for the session routed to it. */
public enum NodeRole {
    /** The elected primary: a session of a primary listener, or a standby listener's fallback. */
    PRIMARY,
    /** A healthy standby of a standby listener. */
    STANDBY
}
