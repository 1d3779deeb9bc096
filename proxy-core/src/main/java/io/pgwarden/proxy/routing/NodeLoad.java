package io.pgwarden.proxy.routing;

import io.pgwarden.proxy.topology.BackendNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Sessions bound to each node, for least-connections balancing. Thread-safe. */
public final class NodeLoad {

    private final Map<String, AtomicInteger> sessions = new ConcurrentHashMap<>();

    public void bound(BackendNode node) {
        sessions.computeIfAbsent(node.name(), name -> new AtomicInteger()).incrementAndGet();
    }

    public void unbound(BackendNode node) {
        AtomicInteger count = sessions.get(node.name());
        if (count != null) {
            count.decrementAndGet();
        }
    }

    public int sessions(BackendNode node) {
        AtomicInteger count = sessions.get(node.name());
        return count == null ? 0 : count.get();
    }
}
