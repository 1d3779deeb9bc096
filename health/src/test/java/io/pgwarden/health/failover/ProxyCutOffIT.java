package io.pgwarden.health.failover;

import static io.pgwarden.health.ClusterFixture.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgwarden.cluster.ClusterSettings;
import io.pgwarden.cluster.LocalCluster;
import io.pgwarden.cluster.LocalNode;
import io.pgwarden.cluster.junit.LocalClusterExtension;
import io.pgwarden.config.BackendSettings;
import io.pgwarden.config.FailoverMode;
import io.pgwarden.health.ClusterFixture;
import io.pgwarden.health.ClusterMonitor;
import io.pgwarden.health.TcpRelay;
import io.pgwarden.health.event.EventKind;
import io.pgwarden.health.event.Reason;
import io.pgwarden.health.topology.Health;
import io.pgwarden.health.topology.NodeState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * pgwarden loses its path to the primary while the standby still streams from it: the proxy is
 * cut off, not the primary, and failing over would make two primaries. It must not fail over.
 */
class ProxyCutOffIT {

    @RegisterExtension
    static final LocalClusterExtension PG = new LocalClusterExtension(ClusterSettings.builder()
            .standbys(1)
            .setting("wal_receiver_timeout", "2s")
            .setting("wal_sender_timeout", "2s")
            .build());

    @TempDir
    Path stateDirectory;

    @Test
    void noFailoverWhileTheStandbyStillStreamsFromThePrimary() throws Exception {
        LocalCluster cluster = PG.cluster();
        LocalNode pg1 = cluster.node("pg1");
        LocalNode pg2 = cluster.node("pg2");
        try (TcpRelay relay = new TcpRelay(pg1.port())) {
            // pgwarden reaches pg1 only through the relay; pg2 replicates from pg1 directly.
            List<BackendSettings> backends = List.of(
                    new BackendSettings("pg1", "127.0.0.1", relay.port(), 100),
                    ClusterFixture.backend(pg2, 100));
            try (ClusterMonitor monitor = ClusterFixture.monitorOf(cluster, backends,
                    ClusterFixture.failover(FailoverMode.AUTOMATIC, stateDirectory.resolve("state.json"),
                            Optional.empty(), Duration.ofSeconds(10)))) {
                monitor.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> monitor.topology().current().routablePrimary()
                        .map(NodeState::name).equals(Optional.of("pg1")));

                relay.sever();

                await().atMost(Duration.ofSeconds(10)).until(() -> events(monitor, EventKind.FAILOVER_HELD).stream()
                        .anyMatch(event -> event.reason() == Reason.STANDBY_STILL_STREAMING));
                assertThat(monitor.topology().current().node("pg1").orElseThrow().health()).isEqualTo(Health.DOWN);
                // Longer than the standby's wal_receiver_timeout (2 s) and many probe intervals.
                await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() ->
                        events(monitor, EventKind.FAILOVER_STARTED).isEmpty()
                                && monitor.topology().current().epoch() == 1);

                assertThat(pg2.isInRecovery()).as("pg2 was never promoted").isTrue();
                assertThat(pg1.isInRecovery()).isFalse();
                assertThat(monitor.topology().current().primary()).contains("pg1");
                assertThat(monitor.topology().current().node("pg1").orElseThrow().fenced()).isFalse();
                assertThat(events(monitor, EventKind.PRIMARY_LOST)).isEmpty();
            }
        }
    }
}
