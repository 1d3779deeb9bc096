package io.pgwarden.health.failover;

import static io.pgwarden.health.failover.CoordinatorHarness.PG1;
import static io.pgwarden.health.failover.CoordinatorHarness.PG2;
import static io.pgwarden.health.failover.CoordinatorHarness.PG3;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgwarden.config.BackendSettings;
import io.pgwarden.config.ConfigProblem;
import io.pgwarden.config.FailoverMode;
import io.pgwarden.config.HealthSettings;
import io.pgwarden.health.event.ClusterEvent;
import io.pgwarden.health.event.EventKind;
import io.pgwarden.health.event.Reason;
import io.pgwarden.health.probe.ProbeOutcome;
import io.pgwarden.health.state.ClusterState;
import io.pgwarden.health.topology.Health;
import io.pgwarden.health.topology.NodeState;
import io.pgwarden.health.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A reloaded configuration applied to a running coordinator. */
class ReconfigureTest {

    private static final BackendSettings PG4 = new BackendSettings("pg4", "10.0.0.4", 5432, 100);

    private final CoordinatorHarness harness = new CoordinatorHarness();

    @BeforeEach
    void startWithPg1Elected() {
        harness.start();
        harness.round();
        assertThat(harness.topology().routablePrimary().map(NodeState::name)).contains("pg1");
    }

    private List<ConfigProblem> reconfigure(List<BackendSettings> backends) {
        return reconfigure(backends, harness.health());
    }

    private List<ConfigProblem> reconfigure(List<BackendSettings> backends, HealthSettings health) {
        return harness.coordinator.reconfigure(backends, health, harness.failover(), harness.actions, harness.cluster);
    }

    private List<String> names(Topology topology) {
        return topology.nodes().stream().map(NodeState::name).toList();
    }

    private List<String> routableStandbys() {
        return harness.topology().routableStandbys().stream().map(NodeState::name).toList();
    }

    @Test
    void anAddedBackendIsDownUntilProbedThenARoutableStandby() {
        harness.cluster.standby(PG4, "0/5000000", PG1);
        long version = harness.topology().version();

        assertThat(reconfigure(List.of(PG1, PG2, PG3, PG4))).isEmpty();

        Topology topology = harness.topology();
        assertThat(topology.version()).isGreaterThan(version);
        assertThat(names(topology)).containsExactly("pg1", "pg2", "pg3", "pg4");
        assertThat(topology.node("pg4").orElseThrow().health()).isEqualTo(Health.DOWN);
        assertThat(routableStandbys()).containsExactly("pg2", "pg3");
        assertThat(harness.events(EventKind.NODE_ADDED)).singleElement().satisfies(event -> {
            assertThat(event.node()).contains("pg4");
            assertThat(event.reason()).isEqualTo(Reason.CONFIGURATION_RELOADED);
            assertThat(event.message()).contains("10.0.0.4:5432");
        });
        assertThat(harness.terminated).isEmpty();

        harness.round();

        assertThat(routableStandbys()).containsExactly("pg2", "pg3", "pg4");
        assertThat(harness.topology().primary()).contains("pg1");
        assertThat(harness.topology().epoch()).isEqualTo(1);
    }

    @Test
    void anAddedBackendThatIsWritableIsARoguePrimaryNeverRouted() {
        harness.cluster.primary(PG4, "0/9000000");

        assertThat(reconfigure(List.of(PG1, PG2, PG3, PG4))).isEmpty();
        harness.round();

        assertThat(harness.topology().primary()).contains("pg1");
        assertThat(harness.topology().node("pg4").orElseThrow().fenced()).isTrue();
        assertThat(harness.events(EventKind.ROGUE_PRIMARY)).extracting(ClusterEvent::node)
                .containsExactly(Optional.of("pg4"));
    }

    @Test
    void removingAStandbyEndsItsSessionsAndTakesItOutOfTheTopology() {
        assertThat(reconfigure(List.of(PG1, PG2))).isEmpty();

        assertThat(harness.terminated).containsExactly("pg3");
        assertThat(names(harness.topology())).containsExactly("pg1", "pg2");
        assertThat(harness.events(EventKind.NODE_REMOVED)).extracting(ClusterEvent::node)
                .containsExactly(Optional.of("pg3"));

        // Outcomes of the removed node still queued on the coordinator thread change nothing.
        harness.round();
        assertThat(names(harness.topology())).containsExactly("pg1", "pg2");
        assertThat(routableStandbys()).containsExactly("pg2");
    }

    @Test
    void removingAFencedNodeForgetsItsFenceInTheStateStore() {
        assertThat(harness.coordinator.fence("pg3").succeeded()).isTrue();
        assertThat(harness.store.load().fenced()).containsExactly("pg3");

        assertThat(reconfigure(List.of(PG1, PG2))).isEmpty();

        assertThat(harness.store.load()).isEqualTo(new ClusterState(1, Optional.of("pg1"), Set.of()));
        assertThat(harness.coordinator.clusterState().fenced()).isEmpty();
        assertThat(harness.events(EventKind.NODE_REMOVED)).singleElement()
                .satisfies(event -> assertThat(event.message()).contains("fence is forgotten"));
    }

    @Test
    void removingTheElectedPrimaryIsRefusedAndChangesNothing() {
        long version = harness.topology().version();

        List<ConfigProblem> refused = reconfigure(List.of(PG2, PG3, PG4));

        assertThat(refused).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("pgwarden.backends");
            assertThat(problem.message()).contains("pg1 is the elected primary").contains("switch over");
        });
        assertThat(harness.topology().version()).isEqualTo(version);
        assertThat(names(harness.topology())).containsExactly("pg1", "pg2", "pg3");
        assertThat(harness.terminated).isEmpty();
        assertThat(harness.events(EventKind.NODE_REMOVED)).isEmpty();
        assertThat(harness.events(EventKind.NODE_ADDED)).isEmpty();
    }

    @Test
    void movingTheElectedPrimaryIsRefusedWithTheKeyOfTheAddress() {
        BackendSettings moved = new BackendSettings("pg1", "10.0.0.1", 6543, 100);

        List<ConfigProblem> refused = reconfigure(List.of(PG2, moved, PG3));

        assertThat(refused).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("pgwarden.backends[1].port");
            assertThat(problem.value()).contains("6543");
            assertThat(problem.message()).contains("pg1 is the elected primary").contains("10.0.0.1:5432");
        });
        assertThat(harness.topology().node("pg1").orElseThrow().port()).isEqualTo(5432);
    }

    @Test
    void changingThePrimaryPriorityIsApplied() {
        BackendSettings lower = new BackendSettings("pg1", "10.0.0.1", 5432, 0);

        assertThat(reconfigure(List.of(lower, PG2, PG3))).isEmpty();

        NodeState pg1 = harness.topology().node("pg1").orElseThrow();
        assertThat(pg1.priority()).isZero();
        assertThat(pg1.health()).isEqualTo(Health.UP);
        assertThat(harness.topology().routablePrimary().map(NodeState::name)).contains("pg1");
        assertThat(harness.events(EventKind.NODE_CHANGED)).singleElement()
                .satisfies(event -> assertThat(event.message()).isEqualTo("failover priority 100 -> 0"));
    }

    @Test
    void movingAStandbyEndsItsSessionsAndProbesItAnew() {
        BackendSettings moved = new BackendSettings("pg3", "10.0.0.33", 5433, 50);
        ProbeOutcome staleOutcome = harness.cluster.probe("pg3");
        harness.time.advance(Duration.ofMillis(10));

        assertThat(reconfigure(List.of(PG1, PG2, moved))).isEmpty();

        assertThat(harness.terminated).containsExactly("pg3");
        NodeState pg3 = harness.topology().node("pg3").orElseThrow();
        assertThat(pg3.address()).isEqualTo("10.0.0.33:5433");
        assertThat(pg3.health()).isEqualTo(Health.DOWN);
        assertThat(routableStandbys()).containsExactly("pg2");

        // A probe of the old address that was under way during the reload is not believed.
        harness.coordinator.onProbe("pg3", staleOutcome);
        assertThat(harness.topology().node("pg3").orElseThrow().health()).isEqualTo(Health.DOWN);

        harness.round();
        assertThat(routableStandbys()).containsExactly("pg2", "pg3");
    }

    @Test
    void aLowerFailuresBeforeDownTakesEffectAtTheNextProbe() {
        HealthSettings stricter = new HealthSettings(CoordinatorHarness.INTERVAL, Duration.ofMillis(500),
                Duration.ofMillis(500), 1);

        assertThat(reconfigure(List.of(PG1, PG2, PG3), stricter)).isEmpty();
        harness.cluster.kill("pg3");
        harness.round();

        assertThat(harness.topology().node("pg3").orElseThrow().health()).isEqualTo(Health.DOWN);
        assertThat(harness.events(EventKind.SETTINGS_CHANGED)).singleElement()
                .satisfies(event -> assertThat(event.message()).isEqualTo("health settings reloaded"));
    }

    @Test
    void switchingToManualModeStopsAutomaticFailover() {
        harness.mode = FailoverMode.MANUAL;
        assertThat(reconfigure(List.of(PG1, PG2, PG3))).isEmpty();
        assertThat(harness.events(EventKind.SETTINGS_CHANGED)).singleElement().satisfies(event ->
                assertThat(event.message()).isEqualTo("failover (mode automatic -> manual) settings reloaded"));

        harness.cluster.kill("pg1");
        harness.rounds(CoordinatorHarness.FAILURES_BEFORE_DOWN + 2);

        assertThat(harness.events(EventKind.FAILOVER_STARTED)).isEmpty();
        assertThat(harness.events(EventKind.FAILOVER_HELD)).extracting(ClusterEvent::reason)
                .contains(Reason.MANUAL_MODE);
        assertThat(harness.promote.requests).isEmpty();
    }

    @Test
    void anUnchangedConfigurationChangesNothing() {
        Topology before = harness.topology();
        int events = harness.events.all().size();

        assertThat(reconfigure(List.of(PG1, PG2, PG3))).isEmpty();

        assertThat(harness.events.all()).hasSize(events);
        assertThat(harness.topology()).isSameAs(before);
        assertThat(harness.terminated).isEmpty();
    }
}
