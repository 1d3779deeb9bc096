package io.pgwarden.proxy.routing;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Nodes an operator is draining: no new session is routed to them, while the sessions already
 * there go on until their clients end them. Shared by every listener of a proxy; thread-safe.
 */
public final class DrainedNodes {

    private final Set<String> names = ConcurrentHashMap.newKeySet();

    /** @return whether the node was not drained before */
    public boolean drain(String node) {
        return names.add(Objects.requireNonNull(node, "node"));
    }

    /** @return whether the node was drained before */
    public boolean undrain(String node) {
        return names.remove(Objects.requireNonNull(node, "node"));
    }

    public boolean isDrained(String node) {
        return names.contains(node);
    }

    /** Whether no node is drained, the usual case. */
    public boolean isEmpty() {
        return names.isEmpty();
    }

    /** A point-in-time copy of the drained node names. */
    public Set<String> names() {
        return Set.copyOf(names);
    }
}
