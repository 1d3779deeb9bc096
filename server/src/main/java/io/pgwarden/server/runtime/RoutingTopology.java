package io.pgwarden.server.runtime;

import io.pgwarden.health.topology.NodeState;
import io.pgwarden.health.topology.Topology;
import io.pgwarden.proxy.topology.BackendNode;
import io.pgwarden.proxy.topology.MutableTopology;
import io.pgwarden.proxy.topology.Standby;
import io.pgwarden.proxy.topology.TopologyListener;
import io.pgwarden.proxy.topology.TopologySnapshot;
import io.pgwarden.proxy.topology.TopologySource;
import io.pgwarden.proxy.topology.TopologySubscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The proxy's view of the cluster, derived from what the health module publishes. Health
 * publishes a snapshot after every probe; the proxy only cares about who may be routed to, so
 * a routing snapshot is published only when the elected primary or the set of healthy standbys
 * changes.
 */
public final class RoutingTopology implements TopologySource, Consumer<Topology> {

    private final MutableTopology routing = new MutableTopology(new TopologySnapshot(0, Optional.empty(), List.of()));

    /** Called on the health coordinator's thread with every new cluster snapshot. */
    @Override
    public void accept(Topology topology) {
        TopologySnapshot next = toRouting(topology);
        TopologySnapshot current = routing.current();
        if (!sameRouting(current, next)) {
            routing.update(ignored -> next);
        }
    }

    /** The routing that a cluster snapshot implies; the epoch is left to the publisher. */
    static TopologySnapshot toRouting(Topology topology) {
        Optional<NodeState> primary = topology.routablePrimary();
        Set<String> healthyStandbys = topology.routableStandbys().stream()
                .map(NodeState::name)
                .collect(Collectors.toSet());
        List<Standby> standbys = new ArrayList<>();
        for (NodeState node : topology.nodes()) {
            if (primary.isPresent() && primary.get().name().equals(node.name())) {
                continue;
            }
            standbys.add(new Standby(node(node), healthyStandbys.contains(node.name())));
        }
        return new TopologySnapshot(0, primary.map(RoutingTopology::node), standbys);
    }

    private static BackendNode node(NodeState state) {
        return new BackendNode(state.name(), state.host(), state.port());
    }

    private static boolean sameRouting(TopologySnapshot a, TopologySnapshot b) {
        return a.primary().equals(b.primary()) && a.standbys().equals(b.standbys());
    }

    @Override
    public TopologySnapshot current() {
        return routing.current();
    }

    @Override
    public TopologySubscription subscribe(TopologyListener listener) {
        return routing.subscribe(listener);
    }
}
