package io.pgwarden.admin.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every pgwarden meter: name, type, unit, tags and meaning, in one place. Binders register
 * meters only through these definitions, and {@code docs/metrics.md} lists each one by its
 * Prometheus name (a test holds the two together).
 *
 * <p>Micrometer names are dotted; the Prometheus registry writes them with underscores, the unit
 * appended, and {@code _total} after counters: {@code pgwarden.client.received} in bytes becomes
 * {@code pgwarden_client_received_bytes_total}.
 */
public final class PgwardenMeters {

    /** What kind of meter a definition registers. */
    public enum Type {
        GAUGE,
        COUNTER,
        /** Durations: {@code _count}, {@code _sum}, {@code _max} and {@code _bucket} series in seconds. */
        TIMER
    }

    /**
     * One meter.
     *
     * @param name Micrometer name, dotted, starting with {@code pgwarden.}
     * @param type gauge, counter or timer
     * @param baseUnit unit for the name ({@code bytes}, {@code seconds}); empty for counts
     * @param description the {@code # HELP} text
     * @param tags tag keys, in the order the docs list them
     */
    public record Definition(String name, Type type, Optional<String> baseUnit, String description, List<String> tags) {

        public Definition {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(baseUnit, "baseUnit");
            Objects.requireNonNull(description, "description");
            tags = List.copyOf(tags);
            if (!name.startsWith("pgwarden.")) {
                throw new IllegalArgumentException("pgwarden meters are named pgwarden.*: " + name);
            }
        }

        /** The metric family name in the Prometheus text format. */
        public String prometheusName() {
            String base = name.replace('.', '_');
            Optional<String> unit = type == Type.TIMER ? Optional.of("seconds") : baseUnit;
            if (unit.isPresent() && !base.endsWith("_" + unit.get())) {
                base = base + "_" + unit.get();
            }
            return type == Type.COUNTER ? base + "_total" : base;
        }
    }

    // ---------------------------------------------------------------- proxy (ProxyMeterBinder)

    public static final Definition CLIENT_CONNECTIONS = gauge("pgwarden.client.connections",
            "Open client connections by listener and session state", "listener", "state");
    public static final Definition SESSIONS_HELD = gauge("pgwarden.sessions.held",
            "Client sessions waiting for a backend (failover in progress) or for the end of a pause");
    public static final Definition BACKEND_SESSIONS = gauge("pgwarden.backend.sessions",
            "Client sessions bound to a backend connection, by backend", "node");
    public static final Definition SESSIONS_ROUTED = counter("pgwarden.sessions.routed", Optional.empty(),
            "Sessions routed to a backend, by backend and the role it served (primary, standby)", "node", "role");
    public static final Definition CLIENT_RECEIVED = counter("pgwarden.client.received", Optional.of("bytes"),
            "Bytes read from clients, by listener", "listener");
    public static final Definition CLIENT_SENT = counter("pgwarden.client.sent", Optional.of("bytes"),
            "Bytes written to clients, by listener", "listener");
    public static final Definition PROTOCOL_ERRORS = counter("pgwarden.protocol.errors", Optional.empty(),
            "ErrorResponses the proxy itself sent to clients, by SQLSTATE", "sqlstate");
    public static final Definition AUTH_FAILURES = counter("pgwarden.auth.failures", Optional.empty(),
            "Client authentication failures, by listener", "listener");

    // ---------------------------------------------------------------- cluster (ClusterMeterBinder)

    public static final Definition CLUSTER_EPOCH = gauge("pgwarden.cluster.epoch",
            "Epoch of the cluster: the number of the latest primary election");
    public static final Definition BACKEND_HEALTH = gauge("pgwarden.backend.health",
            "1 for the probe health a backend is in (up, suspect, down), 0 for the others", "node", "health");
    public static final Definition BACKEND_ROLE = gauge("pgwarden.backend.role",
            "1 for the role a backend reports (primary, standby, unknown), 0 for the others", "node", "role");
    public static final Definition BACKEND_ELECTED_PRIMARY = gauge("pgwarden.backend.elected.primary",
            "1 for the elected primary of the current epoch, 0 for every other backend", "node");
    public static final Definition BACKEND_FENCED = gauge("pgwarden.backend.fenced",
            "1 while a backend is fenced (never routed to), else 0", "node");
    public static final Definition REPLICATION_LAG_BYTES = new Definition("pgwarden.replication.lag.bytes",
            Type.GAUGE, Optional.of("bytes"),
            "WAL bytes a standby's replay is behind the elected primary; NaN when unknown", List.of("node"));
    public static final Definition REPLICATION_LAG_SECONDS = new Definition("pgwarden.replication.lag.seconds",
            Type.GAUGE, Optional.of("seconds"),
            "Replay lag of a standby as it reports it; NaN when unknown", List.of("node"));
    public static final Definition PROBE_LATENCY = timer("pgwarden.probe.latency",
            "Duration of health probes, by backend and outcome (success, failure)", "node", "outcome");
    public static final Definition FAILOVERS = counter("pgwarden.failovers", Optional.empty(),
            "Failovers and switchovers that ended, by kind (failover, switchover) and outcome"
                    + " (succeeded, failed, refused)", "kind", "outcome");
    public static final Definition FAILOVER_DURATION = timer("pgwarden.failover.duration",
            "Failovers and switchovers from start to end, by kind and outcome", "kind", "outcome");
    public static final Definition FAILOVER_PHASE = timer("pgwarden.failover.phase",
            "Phases of failovers and switchovers that elected a primary: detect, fence, promote, first-route",
            "kind", "phase");
    public static final Definition ROGUE_PRIMARIES_DETECTED = counter("pgwarden.rogue.primaries.detected",
            Optional.empty(), "Backends found writable without being the elected primary", "node");

    /** Buckets of {@link #PROBE_LATENCY}: probes take milliseconds; their timeout is usually under a second. */
    static final List<Duration> PROBE_LATENCY_BUCKETS = List.of(Duration.ofMillis(1), Duration.ofMillis(2),
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5));

    /** Buckets of the failover timers: phases take from milliseconds (fence) to the promote timeout. */
    static final List<Duration> FAILOVER_BUCKETS = List.of(Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120));

    private static final List<Definition> ALL = List.of(CLIENT_CONNECTIONS, SESSIONS_HELD, BACKEND_SESSIONS,
            SESSIONS_ROUTED, CLIENT_RECEIVED, CLIENT_SENT, PROTOCOL_ERRORS, AUTH_FAILURES, CLUSTER_EPOCH,
            BACKEND_HEALTH, BACKEND_ROLE, BACKEND_ELECTED_PRIMARY, BACKEND_FENCED, REPLICATION_LAG_BYTES,
            REPLICATION_LAG_SECONDS, PROBE_LATENCY, FAILOVERS, FAILOVER_DURATION, FAILOVER_PHASE,
            ROGUE_PRIMARIES_DETECTED);

    private PgwardenMeters() {
    }

    /** Every definition. */
    public static List<Definition> all() {
        return ALL;
    }

    /** The definition named {@code name} (Micrometer name). */
    public static Optional<Definition> byName(String name) {
        return ALL.stream().filter(definition -> definition.name().equals(name)).findFirst();
    }

    private static Definition gauge(String name, String description, String... tags) {
        return new Definition(name, Type.GAUGE, Optional.empty(), description, List.of(tags));
    }

    private static Definition counter(String name, Optional<String> unit, String description, String... tags) {
        return new Definition(name, Type.COUNTER, unit, description, List.of(tags));
    }

    private static Definition timer(String name, String description, String... tags) {
        return new Definition(name, Type.TIMER, Optional.of("seconds"), description, List.of(tags));
    }
}
