package io.pgwarden.health.failover;

import static io.pgwarden.health.ClusterFixture.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pgwarden.cluster.ClusterSettings;
import io.pgwarden.cluster.LocalCluster;
import io.pgwarden.cluster.LocalNode;
import io.pgwarden.cluster.junit.LocalClusterExtension;
import io.pgwarden.config.FailoverMode;
import io.pgwarden.health.ClusterFixture;
import io.pgwarden.health.ClusterMonitor;
import io.pgwarden.health.event.ClusterEvent;
import io.pgwarden.health.event.EventKind;
import io.pgwarden.health.topology.NodeState;
import io.pgwarden.health.topology.TopologySource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A primary frozen with SIGSTOP fails over like a dead one, and SIGCONT does not bring it back as primary. */
class HungPrimaryIT {

    @RegisterExtension
    static final LocalClusterExtension PG = new LocalClusterExtension(ClusterSettings.builder()
            .standbys(1)
            .setting("wal_receiver_timeout", "2s")
            .setting("wal_sender_timeout", "2s")
            .build());

    @TempDir
    Path stateDirectory;

    @Test
    void aStoppedPrimaryIsReplacedAndAfterSigcontItIsFencedNotRouted() throws Exception {
        LocalCluster cluster = PG.cluster();
        LocalNode pg1 = cluster.node("pg1");
        try (ClusterMonitor monitor = ClusterFixture.monitorOf(cluster, ClusterFixture.backends(cluster, Map.of()),
                ClusterFixture.failover(FailoverMode.AUTOMATIC, stateDirectory.resolve("state.json"),
                        Optional.empty(), Duration.ofSeconds(10)))) {
            monitor.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> monitor.topology().current().routablePrimary()
                    .map(NodeState::name).equals(Optional.of("pg1")));
            List<String> routed = new CopyOnWriteArrayList<>();

            Instant stoppedAt = Instant.now();
            pg1.sigstop();
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> monitor.topology().current().routablePrimary()
                        .map(NodeState::name).equals(Optional.of("pg2")));
                ClusterEvent down = events(monitor, EventKind.NODE_HEALTH_CHANGED).stream()
                        .filter(event -> event.node().equals(Optional.of("pg1")) && event.message().contains("-> DOWN"))
                        .findFirst().orElseThrow();
                ClusterEvent lost = events(monitor, EventKind.PRIMARY_LOST).get(0);
                ClusterEvent elected = events(monitor, EventKind.PRIMARY_ELECTED).stream()
                        .filter(event -> event.node().equals(Optional.of("pg2"))).findFirst().orElseThrow();
                System.out.println("[timing] SIGSTOP of the primary: -> pg1 DOWN "
                        + Duration.between(stoppedAt, down.time()).toMillis() + " ms, -> loss confirmed (standby's"
                        + " wal_receiver_timeout 2 s) " + Duration.between(stoppedAt, lost.time()).toMillis()
                        + " ms, -> pg2 elected " + Duration.between(stoppedAt, elected.time()).toMillis() + " ms");
                assertThat(Duration.between(stoppedAt, down.time())).isLessThan(Duration.ofSeconds(3));
            } finally {
                TopologySource.Subscription subscription = monitor.topology().subscribe(
                        topology -> topology.routablePrimary().ifPresent(node -> routed.add(node.name())));
                pg1.sigcont();
                await().atMost(Duration.ofSeconds(10)).until(() -> !events(monitor, EventKind.ROGUE_PRIMARY).isEmpty());
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThatThrownBy(() -> pg1.execute("CREATE TABLE after_sigcont (id int)"))
                                .hasMessageContaining("read-only transaction"));
                subscription.close();
            }
            assertThat(routed).isNotEmpty().containsOnly("pg2");
            assertThat(monitor.topology().current().node("pg1").orElseThrow().fenced()).isTrue();
            assertThat(monitor.topology().current().epoch()).isEqualTo(2);
        }
    }
}
