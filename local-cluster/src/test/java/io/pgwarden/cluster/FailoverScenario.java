package io.pgwarden.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The failover story every proxy test relies on, run against one kind of binaries per subclass. The steps
 * build on each other, in order, on one cluster per class.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class FailoverScenario {
    private static final Duration REPLAY_TIMEOUT = Duration.ofSeconds(60);

    abstract LocalCluster cluster();

    abstract void assertExpectedBinaries(PgBinaries binaries);

    abstract RejoinMethod expectedRejoinMethod();

    @Test
    @Order(1)
    void runsTheExpectedBinaries() {
        assertExpectedBinaries(cluster().binaries());
        assertThat(cluster().binaries().majorVersion()).isGreaterThanOrEqualTo(12);
    }

    @Test
    @Order(2)
    void rowWrittenOnThePrimaryIsReadOnBothStandbys() {
        LocalNode primary = cluster().primary();
        assertThat(primary.name()).isEqualTo("pg1");
        assertThat(cluster().standbys()).extracting(LocalNode::name).containsExactly("pg2", "pg3");

        primary.execute("CREATE TABLE replicated (id int PRIMARY KEY, note text)");
        primary.execute("INSERT INTO replicated VALUES (1, 'written on pg1')");

        for (LocalNode standby : cluster().standbys()) {
            cluster().awaitReplayed(standby, REPLAY_TIMEOUT);
            assertThat(standby.queryForString("SELECT note FROM replicated WHERE id = 1")).isEqualTo("written on pg1");
        }
    }

    @Test
    @Order(3)
    void afterKill9OfThePrimaryAPromotedStandbyFeedsTheRepointedOne() {
        LocalNode oldPrimary = cluster().node("pg1");
        LocalNode newPrimary = cluster().node("pg2");
        LocalNode follower = cluster().node("pg3");
        List<ProcessHandle> processes = oldPrimary.processes();
        assertThat(processes).hasSizeGreaterThan(3);

        oldPrimary.kill9();

        assertThat(processes).allSatisfy(process -> assertThat(ProcFs.isAlive(process.pid()))
                .as("process %d of the killed primary", process.pid()).isFalse());
        assertThat(oldPrimary.isRunning()).isFalse();

        newPrimary.promote();
        assertThat(newPrimary.isInRecovery()).isFalse();
        assertThat(cluster().primary()).isSameAs(newPrimary);

        follower.follow(newPrimary);
        newPrimary.execute("INSERT INTO replicated VALUES (2, 'written on pg2')");
        cluster().awaitReplayed(follower, REPLAY_TIMEOUT);

        assertThat(follower.isInRecovery()).isTrue();
        assertThat(follower.queryForString("SELECT string_agg(note, ', ' ORDER BY id) FROM replicated"))
                .isEqualTo("written on pg1, written on pg2");
        assertThat(follower.queryForString("SELECT sender_port FROM pg_stat_wal_receiver"))
                .isEqualTo(Integer.toString(newPrimary.port()));
    }

    @Test
    @Order(4)
    void theKilledPrimaryRejoinsAsAStandbyOfTheNewOne() {
        LocalNode oldPrimary = cluster().node("pg1");
        LocalNode newPrimary = cluster().node("pg2");

        assertThat(cluster().rejoinAsStandby(oldPrimary, newPrimary)).isEqualTo(expectedRejoinMethod());

        newPrimary.execute("INSERT INTO replicated VALUES (3, 'written after the rejoin')");
        cluster().awaitReplayed(oldPrimary, REPLAY_TIMEOUT);
        assertThat(oldPrimary.isInRecovery()).isTrue();
        assertThat(oldPrimary.queryForString("SELECT count(*) FROM replicated")).isEqualTo("3");
        assertThat(cluster().standbys()).extracting(LocalNode::name).containsExactly("pg1", "pg3");
    }

    @Test
    @Order(5)
    void aStandbyAddedNowIsClonedFromTheNewPrimary() {
        LocalNode added = cluster().addStandby();

        assertThat(added.name()).isEqualTo("pg4");
        assertThat(added.isInRecovery()).isTrue();
        assertThat(added.queryForString("SELECT sender_port FROM pg_stat_wal_receiver"))
                .isEqualTo(Integer.toString(cluster().node("pg2").port()));
        assertThat(added.queryForString("SELECT count(*) FROM replicated")).isEqualTo("3");
    }
}
