package io.pgwarden.admin.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.pgwarden.health.event.ClusterEvent;
import io.pgwarden.health.event.EventKind;
import io.pgwarden.health.event.EventLog;
import io.pgwarden.health.topology.Health;
import io.pgwarden.health.topology.NodeState;
import io.pgwarden.health.topology.Role;
import io.pgwarden.health.topology.Topology;
import io.pgwarden.health.topology.TopologySource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the cluster monitor knows, as meters: per-backend gauges read from the latest topology
 * snapshot, probe latencies recorded from the snapshots (each probe publishes one), and rogue
 * primaries counted from the event log. A backend added by a reload gets its gauges with the first
 * snapshot that names it; a removed one loses them.
 */
public final class ClusterMeterBinder implements MeterBinder, AutoCloseable {

    private final TopologySource topology;
    private final EventLog events;
    private volatile Topology latest;
    /** Gauges per backend name. */
    private final Map<String, List<Meter>> nodeMeters = new ConcurrentHashMap<>();
    /** Start of the last probe recorded per backend, so that a snapshot republished for another reason counts no probe twice. */
    private final Map<String, Instant> lastProbeRecorded = new ConcurrentHashMap<>();
    private MeterRegistry registry;
    private TopologySource.Subscription topologySubscription;
    private Runnable eventSubscription;

    public ClusterMeterBinder(TopologySource topology, EventLog events) {
        this.topology = Objects.requireNonNull(topology, "topology");
        this.events = Objects.requireNonNull(events, "events");
        this.latest = topology.current();
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        if (this.registry != null) {
            throw new IllegalStateException("bound already");
        }
        this.registry = registry;
        Registration.gauge(registry, PgwardenMeters.CLUSTER_EPOCH, this, binder -> binder.latest.epoch());
        eventSubscription = events.subscribe(this::onEvent);
        topologySubscription = topology.subscribe(this::onTopology);
    }

    private void onTopology(Topology snapshot) {
        latest = snapshot;
        for (NodeState node : snapshot.nodes()) {
            nodeMeters.computeIfAbsent(node.name(), this::registerNode);
            recordProbe(node);
        }
        for (String name : List.copyOf(nodeMeters.keySet())) {
            if (snapshot.node(name).isEmpty()) {
                List<Meter> meters = nodeMeters.remove(name);
                if (meters != null) {
                    meters.forEach(registry::remove);
                }
                lastProbeRecorded.remove(name);
            }
        }
    }

    private void recordProbe(NodeState node) {
        if (node.lastProbeAt().isEmpty() || node.lastProbeLatency().isEmpty()) {
            return;
        }
        Instant probedAt = node.lastProbeAt().get();
        Instant previous = lastProbeRecorded.put(node.name(), probedAt);
        if (probedAt.equals(previous)) {
            return;
        }
        String outcome = node.lastError().isEmpty() ? "success" : "failure";
        Registration.timer(registry, PgwardenMeters.PROBE_LATENCY, PgwardenMeters.PROBE_LATENCY_BUCKETS,
                node.name(), outcome).record(node.lastProbeLatency().get());
    }

    private List<Meter> registerNode(String name) {
        List<Meter> meters = new ArrayList<>();
        for (Health health : Health.values()) {
            meters.add(Registration.gauge(registry, PgwardenMeters.BACKEND_HEALTH, this,
                    binder -> binder.node(name).map(node -> node.health() == health ? 1.0 : 0.0).orElse(Double.NaN),
                    name, wireName(health)));
        }
        for (Role role : Role.values()) {
            meters.add(Registration.gauge(registry, PgwardenMeters.BACKEND_ROLE, this,
                    binder -> binder.node(name).map(node -> node.role() == role ? 1.0 : 0.0).orElse(Double.NaN),
                    name, wireName(role)));
        }
        meters.add(Registration.gauge(registry, PgwardenMeters.BACKEND_ELECTED_PRIMARY, this,
                binder -> binder.latest.primary().map(name::equals).orElse(false) ? 1.0 : 0.0, name));
        meters.add(Registration.gauge(registry, PgwardenMeters.BACKEND_FENCED, this,
                binder -> binder.node(name).map(node -> node.fenced() ? 1.0 : 0.0).orElse(Double.NaN), name));
        meters.add(Registration.gauge(registry, PgwardenMeters.REPLICATION_LAG_BYTES, this,
                binder -> binder.node(name).filter(node -> node.lagBytes().isPresent())
                        .map(node -> (double) node.lagBytes().getAsLong()).orElse(Double.NaN), name));
        meters.add(Registration.gauge(registry, PgwardenMeters.REPLICATION_LAG_SECONDS, this,
                binder -> binder.node(name).flatMap(NodeState::replayLag)
                        .map(lag -> lag.toNanos() / 1e9).orElse(Double.NaN), name));
        return meters;
    }

    private Optional<NodeState> node(String name) {
        return latest.node(name);
    }

    private void onEvent(ClusterEvent event) {
        if (event.kind() == EventKind.ROGUE_PRIMARY && event.node().isPresent()) {
            Counter counter = Registration.counter(registry, PgwardenMeters.ROGUE_PRIMARIES_DETECTED, event.node().get());
            counter.increment();
        }
    }

    /** Lower-case, hyphenated: the spelling of enum values in labels and JSON. */
    static String wireName(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Duration between(Instant from, Instant to) {
        Duration duration = Duration.between(from, to);
        return duration.isNegative() ? Duration.ZERO : duration;
    }

    @Override
    public synchronized void close() {
        if (topologySubscription != null) {
            topologySubscription.close();
        }
        if (eventSubscription != null) {
            eventSubscription.run();
        }
    }
}
