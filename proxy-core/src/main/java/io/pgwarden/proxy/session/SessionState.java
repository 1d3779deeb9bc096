package io.pgwarden.proxy.session;

/** Where a client session is in its life. */
public enum SessionState {
    /** Accepted; SSL negotiation and the StartupMessage are awaited. */
    STARTUP,
    /** The StartupMessage arrived but no backend is eligible yet (failover in progress). */
    HELD,
    /** A backend was chosen; the TCP connection (and any TLS handshake) to it is under way. */
    CONNECTING,
    /** The startup message was replayed; the authentication exchange is being relayed. */
    AUTHENTICATING,
    /** Authentication completed: messages are forwarded both ways. */
    READY,
    /** Ending or ended. */
    CLOSED
}
