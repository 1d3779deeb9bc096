package io.pgwarden.health.topology;

import static io.pgwarden.health.probe.Observations.primary;
import static io.pgwarden.health.probe.Observations.refused;
import static io.pgwarden.health.probe.Observations.standby;
import static io.pgwarden.health.probe.Observations.success;
import static io.pgwarden.health.probe.Observations.timeout;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgwarden.config.BackendSettings;
import io.pgwarden.health.FakeTimeSource;
import io.pgwarden.health.probe.Lsn;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NodeStateTest {

    private static final int FAILURES_BEFORE_DOWN = 3;

    private final FakeTimeSource time = new FakeTimeSource();
    private final NodeState initial = NodeState.initial(new BackendSettings("pg1", "127.0.0.1", 5432, 100));

    @Test
    void aNodeNeverProbedIsDownWithUnknownRole() {
        assertThat(initial.health()).isEqualTo(Health.DOWN);
        assertThat(initial.role()).isEqualTo(Role.UNKNOWN);
        assertThat(initial.writable()).isFalse();
    }

    @Test
    void aSuccessfulProbeMakesItUpWithTheReportedRole() {
        NodeState up = initial.afterProbe(success(time.now(), primary("0/3000060", 1)), FAILURES_BEFORE_DOWN);
        assertThat(up.health()).isEqualTo(Health.UP);
        assertThat(up.role()).isEqualTo(Role.PRIMARY);
        assertThat(up.currentLsn()).contains(Lsn.parse("0/3000060"));
        assertThat(up.timeline()).hasValue(1);
        assertThat(up.lastProbeAt()).contains(time.now());

        NodeState standby = initial.afterProbe(success(time.now(), standby("0/5000000", "0/4000000", 1, "10.0.0.1", 5432)),
                FAILURES_BEFORE_DOWN);
        assertThat(standby.role()).isEqualTo(Role.STANDBY);
        assertThat(standby.position()).contains(Lsn.parse("0/5000000"));
        assertThat(standby.streaming()).isTrue();
    }

    @Test
    void goesSuspectOnTheFirstFailureAndDownAtFailuresBeforeDown() {
        NodeState node = initial.afterProbe(success(time.now(), primary("0/3000060", 1)), FAILURES_BEFORE_DOWN);

        node = node.afterProbe(refused(time.now()), FAILURES_BEFORE_DOWN);
        assertThat(node.health()).isEqualTo(Health.SUSPECT);
        assertThat(node.role()).as("role kept while suspect").isEqualTo(Role.PRIMARY);
        assertThat(node.writable()).isTrue();
        assertThat(node.consecutiveFailures()).isEqualTo(1);

        node = node.afterProbe(timeout(time.now()), FAILURES_BEFORE_DOWN);
        assertThat(node.health()).isEqualTo(Health.SUSPECT);
        assertThat(node.lastError()).hasValueSatisfying(error -> assertThat(error).startsWith("TIMEOUT"));

        node = node.afterProbe(refused(time.now()), FAILURES_BEFORE_DOWN);
        assertThat(node.health()).isEqualTo(Health.DOWN);
        assertThat(node.role()).isEqualTo(Role.UNKNOWN);
        assertThat(node.consecutiveFailures()).isEqualTo(3);
        assertThat(node.currentLsn()).as("last known position kept for failover").contains(Lsn.parse("0/3000060"));
    }

    @Test
    void comesBackUpOnTheFirstSuccess() {
        NodeState node = initial.afterProbe(success(time.now(), primary("0/3000060", 1)), 1)
                .afterProbe(refused(time.now()), 1);
        assertThat(node.health()).isEqualTo(Health.DOWN);
        time.advance(Duration.ofMillis(250));
        node = node.afterProbe(success(time.now(), standby("0/3000060", "0/3000060", 2, null, 0)), 1);
        assertThat(node.health()).isEqualTo(Health.UP);
        assertThat(node.role()).isEqualTo(Role.STANDBY);
        assertThat(node.consecutiveFailures()).isZero();
        assertThat(node.lastError()).isEmpty();
    }

    @Test
    void aNodeNeverReachedStaysDownRatherThanSuspect() {
        NodeState node = initial.afterProbe(refused(time.now()), FAILURES_BEFORE_DOWN);
        assertThat(node.health()).isEqualTo(Health.DOWN);
    }

    @Test
    void fenceFlagSurvivesProbes() {
        NodeState fenced = initial.withFenced(true).afterProbe(success(time.now(), primary("0/1", 1)), 3);
        assertThat(fenced.fenced()).isTrue();
        assertThat(fenced.afterProbe(refused(time.now()), 3).fenced()).isTrue();
    }
}
