package io.pgwarden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgwarden.cluster.junit.LocalClusterExtension;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** synchronous_standby_names set through the cluster matches the standbys' names and governs commits. */
class SynchronousReplicationIT {

    @RegisterExtension
    static final LocalClusterExtension PG = new LocalClusterExtension(ClusterSettings.builder().standbys(2).build());

    @BeforeAll
    static void createTable(LocalCluster cluster) {
        cluster.primary().execute("CREATE TABLE events (id serial PRIMARY KEY, note text)");
    }

    @AfterEach
    void asynchronousAgain() {
        LocalCluster cluster = PG.cluster();
        cluster.setSynchronousStandbys("");
        for (LocalNode node : cluster.nodes()) {
            node.start();
        }
        for (LocalNode standby : cluster.standbys()) {
            cluster.awaitStreaming(standby, Duration.ofSeconds(60));
        }
    }

    @Test
    void commitWithAQuorumOfStandbysSucceedsAndNamesMatchTheStandbys() {
        LocalCluster cluster = PG.cluster();
        cluster.setSynchronousStandbys("ANY 1 (pg2, pg3)");
        LocalNode primary = cluster.primary();

        primary.execute("INSERT INTO events (note) VALUES ('quorum commit')");

        // Each WAL sender re-reads the setting on its own schedule; the commit above did not depend on that.
        await().atMost(Duration.ofSeconds(30)).until(() -> primary.queryForString(
                "SELECT string_agg(application_name || ':' || sync_state, ',' ORDER BY application_name) "
                        + "FROM pg_stat_replication"), "pg2:quorum,pg3:quorum"::equals);
        assertThat(primary.queryForString("SHOW synchronous_standby_names")).isEqualTo("ANY 1 (pg2, pg3)");
    }

    @Test
    void commitWaitsWhileTheSynchronousStandbyIsDownAndCompletesWhenItReturns() throws Exception {
        LocalCluster cluster = PG.cluster();
        LocalNode primary = cluster.primary();
        LocalNode synchronousStandby = cluster.node("pg2");
        cluster.setSynchronousStandbys("FIRST 1 (pg2)");
        synchronousStandby.stop();

        try (Connection connection = primary.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET application_name = 'sync-probe'");
            CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> {
                try {
                    statement.execute("INSERT INTO events (note) VALUES ('waits for pg2')");
                } catch (SQLException e) {
                    throw new CompletionException(e);
                }
            }, task -> new Thread(task, "waiting-commit").start());

            await().atMost(Duration.ofSeconds(30)).until(() -> "SyncRep".equals(primary.queryForString(
                    "SELECT wait_event FROM pg_stat_activity WHERE application_name = 'sync-probe'")));
            assertThat(commit).isNotDone();

            synchronousStandby.start();
            commit.get(30, TimeUnit.SECONDS);
        }
        assertThat(primary.queryForString("SELECT count(*) FROM events WHERE note = 'waits for pg2'")).isEqualTo("1");
    }

    @Test
    void emptyNamesTurnSynchronousReplicationOff() {
        LocalCluster cluster = PG.cluster();
        cluster.setSynchronousStandbys("pg2");
        cluster.setSynchronousStandbys("");
        cluster.node("pg2").stop();
        cluster.node("pg3").stop();

        cluster.primary().execute("INSERT INTO events (note) VALUES ('no standby needed')");

        assertThat(cluster.primary().queryForString("SELECT count(*) FROM events WHERE note = 'no standby needed'"))
                .isEqualTo("1");
    }
}
