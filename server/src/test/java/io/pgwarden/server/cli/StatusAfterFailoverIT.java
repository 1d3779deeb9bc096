package io.pgwarden.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgwarden.admin.AdminServer;
import io.pgwarden.admin.metrics.PgwardenMetrics;
import io.pgwarden.admin.port.AdminPorts;
import io.pgwarden.admin.port.ClusterOperations;
import io.pgwarden.cluster.ClusterSettings;
import io.pgwarden.cluster.LocalCluster;
import io.pgwarden.cluster.junit.LocalClusterExtension;
import io.pgwarden.config.ActionSettings;
import io.pgwarden.config.AdminSettings;
import io.pgwarden.config.AdminTlsSettings;
import io.pgwarden.config.BackendSettings;
import io.pgwarden.config.BackendTlsMode;
import io.pgwarden.config.BackendTlsSettings;
import io.pgwarden.config.FailoverMode;
import io.pgwarden.config.FailoverSettings;
import io.pgwarden.config.HealthSettings;
import io.pgwarden.config.MonitorSettings;
import io.pgwarden.config.Secret;
import io.pgwarden.health.ClusterMonitor;
import io.pgwarden.health.failover.SessionTerminator;
import io.pgwarden.health.failover.TrafficGate;
import io.pgwarden.health.topology.Health;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pgwarden status}, {@code events} and {@code failover} against a running admin API over a
 * real primary and standby: after kill -9 of the primary and a forced failover, status shows the
 * new primary, the fenced old primary and the new epoch.
 */
class StatusAfterFailoverIT {

    private static final String TOKEN = "status-it-token";

    @RegisterExtension
    static final LocalClusterExtension PG = new LocalClusterExtension(ClusterSettings.builder()
            .standbys(1)
            .setting("wal_receiver_timeout", "2s")
            .setting("wal_sender_timeout", "2s")
            .build());

    @TempDir
    Path stateDirectory;

    @Test
    void statusAfterAForcedFailoverShowsTheNewPrimaryTheFencedOldOneAndTheEpoch() throws Exception {
        LocalCluster cluster = PG.cluster();
        List<BackendSettings> backends = cluster.nodes().stream()
                .map(node -> new BackendSettings(node.name(), node.host(), node.port(), 100)).toList();
        ActionSettings builtIn = new ActionSettings(Optional.empty(), Duration.ofSeconds(10));
        FailoverSettings failover = new FailoverSettings(FailoverMode.MANUAL, 16L * 1024 * 1024, Duration.ofSeconds(15),
                Duration.ofSeconds(20), false, stateDirectory.resolve("state.json"), builtIn, builtIn, builtIn,
                builtIn, builtIn);
        try (ClusterMonitor monitor = ClusterMonitor.create(backends,
                new MonitorSettings(cluster.superuser(), Optional.of(new Secret(cluster.password())), "postgres",
                        "pgwarden"),
                new BackendTlsSettings(BackendTlsMode.DISABLE, Optional.empty()),
                new HealthSettings(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofMillis(500), 3),
                failover, SessionTerminator.NONE, TrafficGate.NONE)) {
            monitor.start();
            ClusterOperations operations = ClusterOperations.of(monitor, () -> FailoverMode.MANUAL);
            try (PgwardenMetrics metrics = PgwardenMetrics.create(operations, AdminPorts.NONE.stats());
                    AdminServer server = new AdminServer(new AdminSettings(true, "127.0.0.1", 0,
                            Optional.of(new Secret(TOKEN)), false,
                            new AdminTlsSettings(false, Optional.empty(), Optional.empty())), operations,
                            AdminPorts.NONE, metrics)) {
                String url = "http://127.0.0.1:" + server.start().getPort();
                await().atMost(Duration.ofSeconds(20)).until(() ->
                        monitor.topology().current().routablePrimary().isPresent());

                CliRun before = CliRun.of("status", "--admin-url", url);
                assertThat(before.status()).as(before.err()).isZero();
                assertThat(before.out()).startsWith("epoch 1, primary pg1, failover mode manual");
                assertThat(row(before.out(), "pg1")).contains("primary").contains("elected");
                assertThat(row(before.out(), "pg2")).contains("standby");

                cluster.node("pg1").kill9();
                await().atMost(Duration.ofSeconds(20)).until(() -> monitor.topology().current().node("pg1")
                        .map(node -> node.health() == Health.DOWN).orElse(false)
                        && monitor.events().all().stream().anyMatch(event -> event.kind().name().equals("PRIMARY_LOST")));

                CliRun refused = CliRun.of("switchover", "--admin-url", url, "--token", TOKEN);
                assertThat(refused.status()).isEqualTo(1);
                assertThat(refused.err()).startsWith("pgwarden: switchover refused:");

                CliRun failedOver = CliRun.of("failover", "--admin-url", url, "--token", TOKEN);
                assertThat(failedOver.status()).as(failedOver.err()).isZero();
                assertThat(failedOver.out()).startsWith("failover done: pg2 is the primary of epoch 2 (was pg1, now fenced)");

                CliRun after = CliRun.of("status", "--admin-url", url);
                assertThat(after.status()).as(after.err()).isZero();
                assertThat(after.out()).startsWith("epoch 2, primary pg2, failover mode manual, traffic running");
                assertThat(row(after.out(), "pg2")).matches("pg2 +\\S+ +primary +up +elected +2 .*");
                assertThat(row(after.out(), "pg1")).matches("pg1 +\\S+ +unknown +down +fenced .*");

                CliRun events = CliRun.of("events", "--admin-url", url);
                assertThat(events.status()).isZero();
                assertThat(events.out()).contains("primary-lost").contains("failover-completed").contains("node-fenced");
            }
        }
    }

    private static String row(String table, String node) {
        return table.lines().filter(line -> line.startsWith(node + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + node + " in\n" + table));
    }
}
