package io.pgwarden.health.failover;

import static io.pgwarden.health.ClusterFixture.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.pgwarden.cluster.ClusterSettings;
import io.pgwarden.cluster.LocalCluster;
import io.pgwarden.cluster.junit.LocalClusterExtension;
import io.pgwarden.config.FailoverMode;
import io.pgwarden.health.ClusterFixture;
import io.pgwarden.health.ClusterMonitor;
import io.pgwarden.health.action.ActionKind;
import io.pgwarden.health.action.ActionResult;
import io.pgwarden.health.action.ActionStatus;
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

/**
 * Failover through a promote command: the first candidate's command fails, the second one's
 * hangs and is killed at its timeout, the third one's promotes with {@code pg_promote()}.
 */
class PromoteScriptFailoverIT {

    @RegisterExtension
    static final LocalClusterExtension PG = new LocalClusterExtension(ClusterSettings.builder()
            .standbys(3)
            .setting("wal_receiver_timeout", "2s")
            .setting("wal_sender_timeout", "2s")
            .build());

    @TempDir
    Path stateDirectory;

    private static ActionResult promoteResultOf(ClusterMonitor monitor, String node) {
        return events(monitor, EventKind.ACTION_COMPLETED).stream()
                .filter(event -> event.node().equals(Optional.of(node)) && event.action().isPresent()
                        && event.action().get().kind() == ActionKind.PROMOTE)
                .map(event -> event.action().get())
                .findFirst().orElseThrow(() -> new AssertionError("no promote of " + node + " in " + monitor.events().all()));
    }

    @Test
    void aFailingAndAHangingPromoteCommandMakeTheCoordinatorTryTheNextCandidate() throws Exception {
        LocalCluster cluster = PG.cluster();
        String psql = cluster.binDir().resolve("psql").toString();
        String command = "case \"$PGWARDEN_NODE_NAME\" in\n"
                + "  pg2) echo \"refusing to promote $PGWARDEN_NODE_NAME\" >&2; exit 1 ;;\n"
                + "  pg3) echo hanging; sleep 60 ;;\n"
                + "esac\n"
                + "PGPASSWORD='" + cluster.password() + "' exec " + psql
                + " -h \"$PGWARDEN_NODE_HOST\" -p \"$PGWARDEN_NODE_PORT\" -U " + cluster.superuser()
                + " -d postgres -Atc 'SELECT pg_promote(wait => true)'";
        Duration promoteTimeout = Duration.ofSeconds(2);
        try (ClusterMonitor monitor = ClusterFixture.monitorOf(cluster,
                ClusterFixture.backends(cluster, Map.of("pg2", 300, "pg3", 200, "pg4", 100)),
                ClusterFixture.failover(FailoverMode.AUTOMATIC, stateDirectory.resolve("state.json"),
                        Optional.of(command), promoteTimeout))) {
            monitor.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> monitor.topology().current().routablePrimary()
                    .map(NodeState::name).equals(Optional.of("pg1")));

            Instant killedAt = Instant.now();
            cluster.node("pg1").kill9();

            await().atMost(Duration.ofSeconds(20)).until(() -> monitor.topology().current().routablePrimary()
                    .map(NodeState::name).equals(Optional.of("pg4")));

            ActionResult pg2 = promoteResultOf(monitor, "pg2");
            assertThat(pg2.status()).isEqualTo(ActionStatus.FAILED);
            assertThat(pg2.exitCode()).hasValue(1);
            assertThat(pg2.output()).isEqualTo("refusing to promote pg2");

            ActionResult pg3 = promoteResultOf(monitor, "pg3");
            assertThat(pg3.status()).isEqualTo(ActionStatus.TIMED_OUT);
            assertThat(pg3.output()).startsWith("hanging").contains("killed after 2000 ms");
            assertThat(pg3.duration()).isBetween(promoteTimeout, promoteTimeout.plusSeconds(2));

            ActionResult pg4 = promoteResultOf(monitor, "pg4");
            assertThat(pg4.status()).isEqualTo(ActionStatus.SUCCEEDED);
            assertThat(pg4.output()).isEqualTo("t");

            assertThat(events(monitor, EventKind.CANDIDATE_SKIPPED)).extracting(ClusterEvent::node, ClusterEvent::reason)
                    .containsExactly(
                            tuple(Optional.of("pg2"), Reason.PROMOTE_ACTION_FAILED),
                            tuple(Optional.of("pg3"), Reason.PROMOTE_ACTION_FAILED));
            assertThat(cluster.node("pg2").isInRecovery()).isTrue();
            assertThat(cluster.node("pg3").isInRecovery()).isTrue();
            assertThat(monitor.topology().current().epoch()).isEqualTo(2);
            ClusterEvent elected = events(monitor, EventKind.PRIMARY_ELECTED).stream()
                    .filter(event -> event.node().equals(Optional.of("pg4"))).findFirst().orElseThrow();
            System.out.println("[timing] failover through promote commands (one failing, one hanging 2 s): kill -9 -> pg4 elected "
                    + Duration.between(killedAt, elected.time()).toMillis() + " ms");

            // The others follow pg4.
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                for (String name : new String[] {"pg2", "pg3"}) {
                    assertThat(cluster.node(name).queryForString(
                            "SELECT sender_port::text FROM pg_stat_wal_receiver WHERE status = 'streaming'"))
                            .isEqualTo(Integer.toString(cluster.node("pg4").port()));
                }
            });
        }
    }
}
