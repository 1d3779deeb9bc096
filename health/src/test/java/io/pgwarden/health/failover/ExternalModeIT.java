package io.pgwarden.health.failover;

import static io.pgwarden.health.ClusterFixture.events;
import static org.assertj.core.api.Assertions.assertThat;
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
import io.pgwarden.health.event.Reason;
import io.pgwarden.health.topology.NodeState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** In external mode another manager promotes; pgwarden only follows. */
class ExternalModeIT {

    @RegisterExtension
    static final LocalClusterExtension PG = new LocalClusterExtension(ClusterSettings.builder()
            .standbys(1)
            .setting("wal_receiver_timeout", "2s")
            .setting("wal_sender_timeout", "2s")
            .build());

    @TempDir
    Path stateDirectory;

    @Test
    void aStandbyPromotedByHandWithPgPromoteIsFollowedWithinAFewProbeIntervals() throws Exception {
        LocalCluster cluster = PG.cluster();
        LocalNode pg1 = cluster.node("pg1");
        LocalNode pg2 = cluster.node("pg2");
        try (ClusterMonitor monitor = ClusterFixture.monitorOf(cluster, ClusterFixture.backends(cluster, Map.of()),
                ClusterFixture.failover(FailoverMode.EXTERNAL, stateDirectory.resolve("state.json"),
                        Optional.empty(), Duration.ofSeconds(10)))) {
            monitor.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> monitor.topology().current().routablePrimary()
                    .map(NodeState::name).equals(Optional.of("pg1")));

            pg1.kill9();
            await().atMost(Duration.ofSeconds(10)).until(() -> !events(monitor, EventKind.PRIMARY_LOST).isEmpty());
            // pgwarden itself never promotes in external mode.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> pg2.isInRecovery());
            assertThat(monitor.topology().current().routablePrimary()).isEmpty();

            Instant promotedAt = Instant.now();
            pg2.execute("SELECT pg_promote(wait => true)");

            await().atMost(Duration.ofSeconds(2)).until(() -> monitor.topology().current().routablePrimary()
                    .map(NodeState::name).equals(Optional.of("pg2")));
            ClusterEvent elected = events(monitor, EventKind.PRIMARY_ELECTED).stream()
                    .filter(event -> event.node().equals(Optional.of("pg2"))).findFirst().orElseThrow();
            assertThat(elected.reason()).isEqualTo(Reason.EXTERNAL_PROMOTION);
            assertThat(monitor.topology().current().epoch()).isEqualTo(2);
            assertThat(events(monitor, EventKind.FAILOVER_STARTED)).isEmpty();
            System.out.println("[timing] external mode: pg_promote() called -> pg2 elected "
                    + Duration.between(promotedAt, elected.time()).toMillis() + " ms");
        }
    }
}
