package io.pgwarden.proxy.topology;

import io.pgwarden.config.BackendSettings;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the proxy routes by at one moment: the elected primary, if any, and the standbys.
 * Immutable; a change of topology is a new snapshot with a higher epoch.
 *
 * @param epoch increases with every published change
 * @param primary the primary elected for this epoch; empty while a failover is in progress,
 *     in which case sessions that need a primary are held
 * @param standbys the standbys, healthy or not; a node appears at most once in the snapshot
 */
public record TopologySnapshot(long epoch, Optional<BackendNode> primary, List<Standby> standbys) {

    public TopologySnapshot {
        Objects.requireNonNull(primary, "primary");
        standbys = List.copyOf(standbys);
        Set<String> names = new HashSet<>();
        primary.ifPresent(node -> names.add(node.name()));
        for (Standby standby : standbys) {
            if (!names.add(standby.node().name())) {
                throw new IllegalArgumentException(
                        "node " + standby.node().name() + " appears more than once in the topology");
            }
        }
    }

    /**
     * The snapshot a configuration describes before any health information exists: the first
     * backend is the primary, the others are healthy standbys.
     */
    public static TopologySnapshot fromBackends(List<BackendSettings> backends) {
        if (backends.isEmpty()) {
            return new TopologySnapshot(1, Optional.empty(), List.of());
        }
        return fromBackends(backends, backends.get(0).name());
    }

    /**
     * As {@link #fromBackends(List)}, with the named backend as primary.
     *
     * @throws IllegalArgumentException if no backend has that name
     */
    public static TopologySnapshot fromBackends(List<BackendSettings> backends, String primaryName) {
        BackendSettings primary = backends.stream()
                .filter(backend -> backend.name().equals(primaryName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no backend named " + primaryName));
        List<Standby> standbys = backends.stream()
                .filter(backend -> backend != primary)
                .map(backend -> new Standby(BackendNode.of(backend), true))
                .toList();
        return new TopologySnapshot(1, Optional.of(BackendNode.of(primary)), standbys);
    }

    /** Whether {@code node} is the elected primary of this snapshot. */
    public boolean isPrimary(BackendNode node) {
        return primary.isPresent() && primary.get().name().equals(node.name());
    }

    /** Whether {@code node} is a standby of this snapshot that may take read sessions. */
    public boolean isHealthyStandby(BackendNode node) {
        for (Standby standby : standbys) {
            if (standby.healthy() && standby.node().name().equals(node.name())) {
                return true;
            }
        }
        return false;
    }

    /** The standbys that may take read sessions, in snapshot order. */
    public List<BackendNode> healthyStandbys() {
        return standbys.stream().filter(Standby::healthy).map(Standby::node).toList();
    }

    /** The node of that name, primary or standby. */
    public Optional<BackendNode> node(String name) {
        if (primary.isPresent() && primary.get().name().equals(name)) {
            return primary;
        }
        return standbys.stream().map(Standby::node).filter(node -> node.name().equals(name)).findFirst();
    }
}
