package io.pgwarden.proxy.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The first session routed to a primary that a topology change made available: the last phase
 * of a failover as clients see it.
 *
 * @param node the new primary
 * @param epoch the epoch of the snapshot that made it available
 * @param delay from that snapshot's publication to the routing decision
 * @param routedAt when the session was routed
 */
public record FirstRouteAfterFailover(String node, long epoch, Duration delay, Instant routedAt) {

    public FirstRouteAfterFailover {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(routedAt, "routedAt");
    }
}
