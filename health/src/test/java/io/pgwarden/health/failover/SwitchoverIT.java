package io.pgwarden.health.failover;

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
import io.pgwarden.health.topology.NodeState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A planned switchover with the built-in actions: soft fence, catch-up, pg_promote(). */
class SwitchoverIT {

    @RegisterExtension
    static final LocalClusterExtension PG = new LocalClusterExtension(ClusterSettings.builder().standbys(1).build());

    @TempDir
    Path stateDirectory;

    @Test
    void switchesToTheStandbyWithEveryCommittedRowAndLeavesTheOldPrimaryReadOnly() throws Exception {
        LocalCluster cluster = PG.cluster();
        LocalNode pg1 = cluster.node("pg1");
        LocalNode pg2 = cluster.node("pg2");
        try (ClusterMonitor monitor = ClusterFixture.monitorOf(cluster, ClusterFixture.backends(cluster, Map.of()),
                ClusterFixture.failover(FailoverMode.AUTOMATIC, stateDirectory.resolve("state.json"),
                        Optional.empty(), Duration.ofSeconds(10)))) {
            monitor.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> monitor.topology().current().routablePrimary()
                    .map(NodeState::name).equals(Optional.of("pg1")));
            pg1.execute("CREATE TABLE committed (id int)");
            pg1.execute("INSERT INTO committed SELECT generate_series(1, 1000)");

            FailoverResult result = monitor.switchover(Optional.empty()).get(30, TimeUnit.SECONDS);

            assertThat(result.succeeded()).as(result.message()).isTrue();
            assertThat(result.newPrimary()).contains("pg2");
            System.out.println("[timing] switchover (built-in): " + result.duration().toMillis() + " ms");
            assertThat(monitor.topology().current().routablePrimary().map(NodeState::name)).contains("pg2");
            assertThat(monitor.topology().current().epoch()).isEqualTo(2);
            assertThat(pg2.isInRecovery()).isFalse();
            assertThat(pg2.queryForString("SELECT count(*)::text FROM committed")).isEqualTo("1000");
            assertThatThrownBy(() -> pg1.execute("INSERT INTO committed VALUES (0)"))
                    .hasMessageContaining("read-only transaction");
            assertThat(monitor.topology().current().node("pg1").orElseThrow().fenced()).isTrue();
        }
    }
}
