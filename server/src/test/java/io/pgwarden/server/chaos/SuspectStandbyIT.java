package io.pgwarden.server.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgwarden.cluster.ClusterSettings;
import io.pgwarden.cluster.LocalCluster;
import io.pgwarden.cluster.LocalNode;
import io.pgwarden.config.SettingsLoader;
import io.pgwarden.health.event.ClusterEvent;
import io.pgwarden.health.event.EventKind;
import io.pgwarden.health.topology.Health;
import io.pgwarden.server.runtime.ClusterConfig;
import io.pgwarden.server.runtime.PgwardenRuntime;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standby that misses one probe is {@code SUSPECT}, which the documentation (concepts.md,
 * "Topology and epoch") says is "still used" until {@code failures-before-down} probes failed in
 * a row; for the primary, {@code Topology.routablePrimary} keeps a SUSPECT primary routed because
 * "one lost probe is no reason to stop traffic". A read-only session on that standby should
 * therefore go on. Found by the chaos work: under load, single probe timeouts of a standby ended
 * the read sessions on it with "no longer an eligible standby" although nothing failed over.
 */
@Tag("chaos")
class SuspectStandbyIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path stateDirectory;

    @Test
    void aReadSessionOnAStandbyOutlivesOneFailedProbeOfThatStandby() throws Exception {
        try (LocalCluster cluster = new LocalCluster(ClusterSettings.builder().standbys(1).build()).start()) {
            ClusterConfig config = new ClusterConfig(ChaosCluster.freePort(), ChaosCluster.freePort(),
                    ChaosCluster.freePort(), stateDirectory.resolve("state.json"));
            try (PgwardenRuntime pgwarden = new PgwardenRuntime(new SettingsLoader(
                    Map.of("PGWARDEN_MONITOR_PASSWORD", cluster.password())).parse(config.render(cluster))).start()) {
                LocalNode standby = cluster.node("pg2");
                await().atMost(DEADLINE).until(() -> pgwarden.topology().current().routableStandbys().size() == 1);
                try (Connection session = connect(cluster, pgwarden.proxy().port("ro"))) {
                    assertThat(serverName(session)).isEqualTo(standby.name());

                    // One failed probe and nothing else: the server ends pgwarden's monitor
                    // session, the next probe fails on it, the one after reconnects.
                    Instant before = Instant.now();
                    standby.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                            + " WHERE application_name = 'pgwarden-monitor'");
                    await("pg2 suspect, then up again").atMost(DEADLINE).until(() -> healthChanges(pgwarden, before)
                            .stream().anyMatch(event -> event.message().startsWith("SUSPECT -> UP")));
                    assertThat(healthChanges(pgwarden, before)).as("pg2 was never DOWN")
                            .noneMatch(event -> event.message().contains("-> " + Health.DOWN));

                    assertThat(serverName(session)).as("the read session on pg2 after pg2 missed one probe")
                            .isEqualTo(standby.name());
                }
            }
        }
    }

    private static List<ClusterEvent> healthChanges(PgwardenRuntime pgwarden, Instant since) {
        return pgwarden.monitor().events().since(since).stream()
                .filter(event -> event.kind() == EventKind.NODE_HEALTH_CHANGED)
                .filter(event -> event.node().filter("pg2"::equals).isPresent())
                .toList();
    }

    private static Connection connect(LocalCluster cluster, int port) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", cluster.superuser());
        properties.setProperty("password", cluster.password());
        properties.setProperty("ApplicationName", "suspect-standby-reader");
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("socketTimeout", "30");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", properties);
    }

    private static String serverName(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT current_setting('cluster_name')")) {
            row.next();
            return row.getString(1);
        }
    }
}
