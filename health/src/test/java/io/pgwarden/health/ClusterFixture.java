package io.pgwarden.health;

import io.pgwarden.cluster.LocalCluster;
import io.pgwarden.cluster.LocalNode;
import io.pgwarden.config.ActionSettings;
import io.pgwarden.config.BackendSettings;
import io.pgwarden.config.BackendTlsMode;
import io.pgwarden.config.BackendTlsSettings;
import io.pgwarden.config.FailoverMode;
import io.pgwarden.config.FailoverSettings;
import io.pgwarden.config.HealthSettings;
import io.pgwarden.config.MonitorSettings;
import io.pgwarden.config.Secret;
import io.pgwarden.health.event.ClusterEvent;
import io.pgwarden.health.event.EventKind;
import io.pgwarden.health.failover.SessionTerminator;
import io.pgwarden.health.failover.TrafficGate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Settings for a {@link ClusterMonitor} over a {@link LocalCluster}, with the fast timings. */
public final class ClusterFixture {

    /** Probe every 250 ms, 500 ms deadline, DOWN after 3 failures: the timings the issue measures. */
    public static final HealthSettings FAST = new HealthSettings(
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofMillis(500), 3);

    /** What the servers of a failover test need on top of the launcher's defaults. */
    public static final Map<String, String> SERVER_SETTINGS = Map.of(
            // A hung primary keeps its standbys "streaming" until this expires, which holds failover back.
            "wal_receiver_timeout", "2s",
            "wal_sender_timeout", "2s");

    private ClusterFixture() {
    }

    public static BackendSettings backend(LocalNode node, int priority) {
        return new BackendSettings(node.name(), node.host(), node.port(), priority);
    }

    /** Every node of the cluster, priorities from {@code priorities} (default 100). */
    public static List<BackendSettings> backends(LocalCluster cluster, Map<String, Integer> priorities) {
        List<BackendSettings> backends = new ArrayList<>();
        for (LocalNode node : cluster.nodes()) {
            backends.add(backend(node, priorities.getOrDefault(node.name(), 100)));
        }
        return backends;
    }

    public static MonitorSettings monitor(LocalCluster cluster) {
        return new MonitorSettings(cluster.superuser(), Optional.of(new Secret(cluster.password())), "postgres",
                "pgwarden");
    }

    public static BackendTlsSettings noTls() {
        return new BackendTlsSettings(BackendTlsMode.DISABLE, Optional.empty());
    }

    /** A failover section: built-in actions unless {@code promoteCommand} is given, auto-rejoin on. */
    public static FailoverSettings failover(FailoverMode mode, Path stateFile, Optional<String> promoteCommand,
            Duration promoteTimeout) {
        ActionSettings none = new ActionSettings(Optional.empty(), Duration.ofSeconds(10));
        ActionSettings promote = new ActionSettings(promoteCommand, promoteTimeout);
        return new FailoverSettings(mode, 16L * 1024 * 1024, promoteTimeout, Duration.ofSeconds(10), true,
                stateFile, promote, none, none, none, none);
    }

    public static ClusterMonitor monitorOf(LocalCluster cluster, List<BackendSettings> backends,
            FailoverSettings failover) {
        return ClusterMonitor.create(backends, monitor(cluster), noTls(), FAST, failover, SessionTerminator.NONE,
                TrafficGate.NONE);
    }

    public static List<ClusterEvent> events(ClusterMonitor monitor, EventKind kind) {
        return monitor.events().all().stream().filter(event -> event.kind() == kind).toList();
    }
}
