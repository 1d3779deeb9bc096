package io.pgwarden.proxy.routing;

import io.pgwarden.proxy.topology.BackendNode;
import java.util.Objects;

/**
 * The backend chosen for a new session.
 *
 * @param node where the session goes
 * @param fallback whether a standby listener chose the primary because no standby was healthy
 */
public record RouteDecision(BackendNode node, boolean fallback) {

    public RouteDecision {
        Objects.requireNonNull(node, "node");
    }
}
