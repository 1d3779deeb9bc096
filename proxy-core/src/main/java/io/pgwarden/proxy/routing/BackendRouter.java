package io.pgwarden.proxy.routing;

import io.pgwarden.config.Balance;
import io.pgwarden.config.ListenerSettings;
import io.pgwarden.config.Route;
import io.pgwarden.proxy.topology.BackendNode;
import io.pgwarden.proxy.topology.TopologySnapshot;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chooses backends for one listener's sessions and says whether a node stays eligible for
 * them when the topology changes. One instance per listener, shared by its event loops.
 */
public final class BackendRouter {

    private final ListenerSettings listener;
    private final NodeLoad load;
    private final DrainedNodes drained;
    private final AtomicInteger nextStandby = new AtomicInteger();

    /** A router that never sees a drained node. */
    public BackendRouter(ListenerSettings listener, NodeLoad load) {
        this(listener, load, new DrainedNodes());
    }

    public BackendRouter(ListenerSettings listener, NodeLoad load, DrainedNodes drained) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.load = Objects.requireNonNull(load, "load");
        this.drained = Objects.requireNonNull(drained, "drained");
    }

    /**
     * The node for a new session, or empty when none is eligible now (a failover is in progress,
     * no standby is healthy and there is no fallback, or the eligible nodes are drained): the
     * session is then held.
     */
    public Optional<RouteDecision> select(TopologySnapshot topology) {
        Optional<BackendNode> primary = topology.primary().filter(node -> !drained.isDrained(node.name()));
        if (listener.route() == Route.PRIMARY) {
            return primary.map(node -> new RouteDecision(node, false));
        }
        List<BackendNode> standbys = topology.healthyStandbys();
        if (!standbys.isEmpty() && !drained.isEmpty()) {
            standbys = standbys.stream().filter(node -> !drained.isDrained(node.name())).toList();
        }
        if (!standbys.isEmpty()) {
            return Optional.of(new RouteDecision(pick(standbys), false));
        }
        if (listener.fallbackToPrimary()) {
            return primary.map(node -> new RouteDecision(node, true));
        }
        return Optional.empty();
    }

    /**
     * Whether a session of this listener may stay on {@code node} under {@code topology}.
     * A primary session needs the node to be the elected primary. A standby session needs a
     * healthy standby, or, with fallback, the primary: a standby that is promoted under a
     * read-only session no longer serves what the session asked for. Draining does not matter
     * here: sessions already on a drained node finish normally.
     */
    public boolean eligible(BackendNode node, TopologySnapshot topology) {
        if (listener.route() == Route.PRIMARY) {
            return topology.isPrimary(node);
        }
        return topology.isHealthyStandby(node) || (listener.fallbackToPrimary() && topology.isPrimary(node));
    }

    public ListenerSettings listener() {
        return listener;
    }

    private BackendNode pick(List<BackendNode> standbys) {
        if (listener.balance() == Balance.LEAST_CONNECTIONS) {
            // Ties go round-robin, so an idle cluster still spreads new sessions.
            int start = Math.floorMod(nextStandby.getAndIncrement(), standbys.size());
            BackendNode best = null;
            int bestLoad = Integer.MAX_VALUE;
            for (int i = 0; i < standbys.size(); i++) {
                BackendNode candidate = standbys.get((start + i) % standbys.size());
                int candidateLoad = load.sessions(candidate);
                if (candidateLoad < bestLoad) {
                    best = candidate;
                    bestLoad = candidateLoad;
                }
            }
            return best;
        }
        return standbys.get(Math.floorMod(nextStandby.getAndIncrement(), standbys.size()));
    }
}
