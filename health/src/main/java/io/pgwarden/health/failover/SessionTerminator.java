package io.pgwarden.health.failover;

import io.pgwarden.health.event.Reason;

/**
 * Ends the client sessions the proxy holds on a node. The coordinator calls it when it fences a
 * node (sessions on an old or rogue primary must not write on), and during a switchover once
 * sessions are idle. The proxy implements it; implementations must return quickly and do the
 * closing on their own threads.
 */
@FunctionalInterface
public interface SessionTerminator {

    /** Ends nothing: for a coordinator without a proxy (tests, monitoring only). */
    SessionTerminator NONE = (node, reason) -> { };

    void terminateSessions(String node, Reason reason);
}
