package io.pgwarden.bench.forward;

/** What sits between the two embedded sockets. */
public enum Relay {
    /** pgwarden's forwarding: a client session with its two relay handlers, as in production. */
    PGWARDEN,
    /**
     * The least any Netty relay does: write each read buffer to the other channel, flush and
     * read again once per read batch. Subtracted from {@link #PGWARDEN}, it leaves the proxy's
     * own cost: scanning, session bookkeeping, counters.
     */
    PASS_THROUGH
}
