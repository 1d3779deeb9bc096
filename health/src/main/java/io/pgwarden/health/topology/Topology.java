package io.pgwarden.health.topology;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of the cluster as the coordinator sees it.
 *
 * <p>At any epoch at most one node is the routed primary: the one the coordinator elected. A node
 * that reports itself writable without being elected is never routed to. Write sessions go to
 * {@link #routablePrimary()}; when it is empty (failover in progress, primary down) the proxy holds
 * new sessions. Read sessions go to {@link #routableStandbys()}.
 *
 * @param epoch increases by one at every election of a primary; persisted, so it never goes back
 * @param version increases by one at every published snapshot of this process (not persisted)
 * @param primary name of the elected primary, empty while none is elected
 * @param nodes every configured backend, in configuration order
 * @param time when the snapshot was made
 */
public record Topology(long epoch, long version, Optional<String> primary, List<NodeState> nodes, Instant time) {

    public Topology {
        Objects.requireNonNull(primary, "primary");
        nodes = List.copyOf(nodes);
        Objects.requireNonNull(time, "time");
    }

    public Optional<NodeState> node(String name) {
        return nodes.stream().filter(node -> node.name().equals(name)).findFirst();
    }

    /**
     * The node write sessions go to: the elected primary while it is not fenced, not DOWN and
     * last reported itself writable. A SUSPECT primary is still routed: one lost probe is no
     * reason to stop traffic.
     */
    public Optional<NodeState> routablePrimary() {
        return primary.flatMap(this::node).filter(node -> !node.fenced() && node.writable());
    }

    /**
     * Standbys read sessions may go to: in recovery, not fenced, and not DOWN. A SUSPECT standby
     * is still routed, as a SUSPECT primary is: one lost probe must not end its read sessions.
     */
    public List<NodeState> routableStandbys() {
        return nodes.stream()
                .filter(node -> !node.fenced() && node.role() == Role.STANDBY && node.health() != Health.DOWN)
                .toList();
    }

    /** Nodes that report themselves writable but are not the elected primary. */
    public List<NodeState> roguePrimaries() {
        return nodes.stream()
                .filter(node -> node.writable() && !primary.map(node.name()::equals).orElse(false))
                .toList();
    }
}
