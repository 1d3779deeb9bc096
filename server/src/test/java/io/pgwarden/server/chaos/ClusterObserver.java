package io.pgwarden.server.chaos;

import io.pgwarden.health.ClusterMonitor;
import io.pgwarden.health.event.ClusterEvent;
import io.pgwarden.health.event.EventKind;
import io.pgwarden.health.event.Outcome;
import io.pgwarden.health.topology.Health;
import io.pgwarden.health.topology.NodeState;
import io.pgwarden.health.topology.Topology;
import io.pgwarden.health.topology.TopologySource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Everything pgwarden decides, recorded as it happens: every cluster event (the monitor keeps only
 * the latest {@value ClusterMonitor#EVENT_HISTORY}; a long run has more) and every topology
 * snapshot's routed primary, by epoch. Listeners run on pgwarden's coordinator thread, so they
 * only record.
 */
final class ClusterObserver implements AutoCloseable {

    /** Events by sequence number; guarded by {@code this}. */
    private final TreeMap<Long, ClusterEvent> events = new TreeMap<>();
    /** Routed primaries seen in snapshots, by epoch; guarded by {@code this}. */
    private final TreeMap<Long, Set<String>> routedByEpoch = new TreeMap<>();
    /** Start of the latest probe of each node that succeeded; guarded by {@code this}. */
    private final Map<String, Instant> lastSuccessfulProbe = new HashMap<>();
    private final Runnable eventSubscription;
    private final TopologySource.Subscription topologySubscription;

    ClusterObserver(ClusterMonitor monitor) {
        eventSubscription = monitor.events().subscribe(this::record);
        monitor.events().all().forEach(this::record);
        topologySubscription = monitor.topology().subscribe(this::record);
    }

    private synchronized void record(ClusterEvent event) {
        events.put(event.sequence(), event);
    }

    private synchronized void record(Topology topology) {
        topology.routablePrimary().ifPresent(primary ->
                routedByEpoch.computeIfAbsent(topology.epoch(), epoch -> new LinkedHashSet<>()).add(primary.name()));
        for (NodeState node : topology.nodes()) {
            if (node.health() == Health.UP && node.consecutiveFailures() == 0 && node.lastProbeAt().isPresent()) {
                lastSuccessfulProbe.put(node.name(), node.lastProbeAt().get());
            }
        }
    }

    synchronized List<ClusterEvent> events() {
        return new ArrayList<>(events.values());
    }

    /** Events at or after {@code since}, oldest first. */
    synchronized List<ClusterEvent> since(Instant since) {
        return events.values().stream().filter(event -> !event.time().isBefore(since)).toList();
    }

    /** The first event of {@code kind} about {@code node} at or after {@code since}. */
    Optional<ClusterEvent> first(EventKind kind, String node, Instant since) {
        return first(kind, since, event -> event.node().equals(Optional.of(node)));
    }

    Optional<ClusterEvent> first(EventKind kind, Instant since, Predicate<ClusterEvent> matching) {
        return since(since).stream().filter(event -> event.kind() == kind && matching.test(event)).findFirst();
    }

    /** Successful elections at or after {@code since}. */
    List<ClusterEvent> elections(Instant since) {
        return since(since).stream()
                .filter(event -> event.kind() == EventKind.PRIMARY_ELECTED && event.outcome() == Outcome.SUCCEEDED)
                .toList();
    }

    WriteWindows writeWindows() {
        return WriteWindows.of(events());
    }

    /** When the latest successful probe of {@code node} started. */
    synchronized Optional<Instant> lastSuccessfulProbe(String node) {
        return Optional.ofNullable(lastSuccessfulProbe.get(node));
    }

    /**
     * Contradictions in routing: an epoch in which snapshots routed write sessions to more than one
     * node, or to another node than the one the event history says was elected in that epoch, and
     * elections while the previous primary was never fenced.
     */
    synchronized List<String> routingViolations() {
        List<String> violations = new ArrayList<>();
        Map<Long, String> electedByEpoch = new HashMap<>();
        for (ClusterEvent event : events.values()) {
            if (event.kind() == EventKind.PRIMARY_ELECTED && event.outcome() == Outcome.SUCCEEDED
                    && event.node().isPresent()) {
                String previous = electedByEpoch.putIfAbsent(event.epoch(), event.node().get());
                if (previous != null && !previous.equals(event.node().get())) {
                    violations.add("epoch " + event.epoch() + " elected both " + previous + " and "
                            + event.node().get());
                }
            }
        }
        routedByEpoch.forEach((epoch, routed) -> {
            if (routed.size() > 1) {
                violations.add("epoch " + epoch + " routed write sessions to " + routed);
            }
            String elected = electedByEpoch.get(epoch);
            if (elected != null && !routed.equals(Set.of(elected))) {
                violations.add("epoch " + epoch + " routed write sessions to " + routed + " but elected " + elected);
            }
        });
        violations.addAll(writeWindows().overlaps());
        return violations;
    }

    /** Epochs in which write sessions were routed, with the node. */
    synchronized Map<Long, Set<String>> routedByEpoch() {
        return new TreeMap<>(routedByEpoch);
    }

    @Override
    public void close() {
        topologySubscription.close();
        eventSubscription.run();
    }
}
