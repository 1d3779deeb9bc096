package io.pgwarden.health.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgwarden.cluster.AuthMethod;
import io.pgwarden.cluster.ClusterSettings;
import io.pgwarden.cluster.LocalCluster;
import io.pgwarden.cluster.LocalNode;
import io.pgwarden.cluster.junit.LocalClusterExtension;
import io.pgwarden.health.ClusterFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The example follow script, run as pgwarden runs it, against real servers. */
class FollowScriptIT {

    // The script writes no password into primary_conninfo; trust stands in for the standby's ~/.pgpass.
    @RegisterExtension
    static final LocalClusterExtension PG = new LocalClusterExtension(ClusterSettings.builder()
            .standbys(2)
            .authMethod(AuthMethod.TRUST)
            .build());

    private static final Path SCRIPT = Path.of("..", "examples", "scripts", "follow.sh").toAbsolutePath().normalize();

    @Test
    void examplesFollowScriptPointsAStandbyAtTheNewPrimary() {
        assertThat(SCRIPT).exists();
        assertThat(Files.isExecutable(SCRIPT)).isTrue();
        LocalCluster cluster = PG.cluster();
        LocalNode pg2 = cluster.node("pg2");
        LocalNode pg3 = cluster.node("pg3");
        cluster.node("pg1").kill9();
        pg2.promote();

        String command = "PGWARDEN_PSQL='" + cluster.binDir().resolve("psql") + "'"
                + " PGWARDEN_ADMIN_USER=" + cluster.superuser()
                + " PGWARDEN_REPLICATION_USER=" + cluster.superuser()
                + " '" + SCRIPT + "'";
        ShellCommandAction follow = new ShellCommandAction(ActionKind.FOLLOW, command, Duration.ofSeconds(20),
                new ObjectMapper());
        ActionResult result = follow.run(new ActionRequest(ActionKind.FOLLOW, "failover", "follow-new-primary", 2,
                Instant.now(), Optional.of(ClusterFixture.backend(pg3, 100)),
                Optional.of(ClusterFixture.backend(cluster.node("pg1"), 100)),
                Optional.of(ClusterFixture.backend(pg2, 100)), Duration.ofSeconds(20), Map.of()));

        assertThat(result.status()).as(result.output()).isEqualTo(ActionStatus.SUCCEEDED);
        assertThat(result.output()).startsWith("pointing pg3 at pg2");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(pg3.queryForString(
                "SELECT sender_port::text FROM pg_stat_wal_receiver WHERE status = 'streaming'"))
                .isEqualTo(Integer.toString(pg2.port())));
        pg2.execute("CREATE TABLE followed (id int)");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(pg3.queryForString("SELECT to_regclass('followed') IS NOT NULL")).isEqualTo("t"));
    }
}
