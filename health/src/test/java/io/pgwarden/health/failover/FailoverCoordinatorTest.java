package io.pgwarden.health.failover;

import static io.pgwarden.health.failover.CoordinatorHarness.PG1;
import static io.pgwarden.health.failover.CoordinatorHarness.PG2;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgwarden.config.BackendSettings;
import io.pgwarden.config.FailoverMode;
import io.pgwarden.health.action.ActionKind;
import io.pgwarden.health.action.ActionStatus;
import io.pgwarden.health.event.ClusterEvent;
import io.pgwarden.health.event.EventKind;
import io.pgwarden.health.event.Outcome;
import io.pgwarden.health.event.Reason;
import io.pgwarden.health.probe.Lsn;
import io.pgwarden.health.probe.ProbeSuccess;
import io.pgwarden.health.state.ClusterState;
import io.pgwarden.health.topology.Health;
import io.pgwarden.health.topology.NodeState;
import io.pgwarden.health.topology.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FailoverCoordinatorTest {

    private final CoordinatorHarness harness = new CoordinatorHarness();

    private static Optional<String> routablePrimary(Topology topology) {
        return topology.routablePrimary().map(NodeState::name);
    }

    private void startWithPg1Elected() {
        harness.start();
        harness.round();
        assertThat(routablePrimary(harness.topology())).contains("pg1");
    }

    private void failOverFromPg1ToPg2() {
        startWithPg1Elected();
        harness.cluster.kill("pg1");
        harness.rounds(CoordinatorHarness.FAILURES_BEFORE_DOWN);
        assertThat(routablePrimary(harness.topology())).contains("pg2");
    }

    @Nested
    class Election {

        @Test
        void electsTheOnlyWritableNodeOnceEveryNodeHasAnswered() {
            harness.start();
            assertThat(harness.topology().primary()).isEmpty();
            assertThat(harness.topology().epoch()).isZero();

            harness.round();

            Topology topology = harness.topology();
            assertThat(topology.primary()).contains("pg1");
            assertThat(topology.epoch()).isEqualTo(1);
            assertThat(routablePrimary(topology)).contains("pg1");
            assertThat(topology.routableStandbys()).extracting(NodeState::name).containsExactly("pg2", "pg3");
            assertThat(topology.node("pg3").orElseThrow().lagBytes()).hasValue(0x100000);
            assertThat(harness.events(EventKind.PRIMARY_ELECTED)).singleElement()
                    .extracting(ClusterEvent::reason).isEqualTo(Reason.INITIAL_DISCOVERY);
            assertThat(harness.store.load()).isEqualTo(new ClusterState(1, Optional.of("pg1"), Set.of()));
        }

        @Test
        void refusesToChooseAmongSeveralWritableNodesWithoutAnElectedPrimary() {
            harness.cluster.promote("pg2");
            harness.start();
            harness.rounds(3);

            assertThat(harness.topology().primary()).isEmpty();
            assertThat(harness.topology().routablePrimary()).isEmpty();
            assertThat(harness.events(EventKind.PRIMARY_ELECTED)).singleElement().satisfies(event -> {
                assertThat(event.reason()).isEqualTo(Reason.MULTIPLE_WRITABLE_NODES);
                assertThat(event.outcome()).isEqualTo(Outcome.REFUSED);
            });
            assertThat(harness.cluster.softFenced).as("no authority to fence either").isEmpty();
        }
    }

    @Nested
    class PrimaryLoss {

        @Test
        void aSuspectPrimaryIsStillRoutedAndADownOneIsNot() {
            startWithPg1Elected();
            harness.cluster.server("pg1").hung = true;

            harness.round();
            assertThat(harness.topology().node("pg1").orElseThrow().health()).isEqualTo(Health.SUSPECT);
            assertThat(routablePrimary(harness.topology())).contains("pg1");

            harness.rounds(2);
            assertThat(harness.topology().node("pg1").orElseThrow().health()).isEqualTo(Health.DOWN);
            assertThat(routablePrimary(harness.topology())).isEmpty();
        }

        @Test
        void failsOverToTheFurthestStandbyAfterFailuresBeforeDownProbes() {
            startWithPg1Elected();
            harness.cluster.kill("pg1");

            harness.rounds(CoordinatorHarness.FAILURES_BEFORE_DOWN - 1);
            assertThat(harness.promote.requests).isEmpty();

            harness.round();
            assertThat(harness.promote.nodes()).containsExactly("pg2");
            Topology topology = harness.topology();
            assertThat(topology.epoch()).isEqualTo(2);
            assertThat(routablePrimary(topology)).contains("pg2");
            assertThat(topology.node("pg1").orElseThrow().fenced()).isTrue();
            assertThat(harness.store.load()).isEqualTo(new ClusterState(2, Optional.of("pg2"), Set.of("pg1")));
            assertThat(harness.terminated).containsExactly("pg1");
            assertThat(harness.fence.nodes()).containsExactly("pg1");
            assertThat(harness.cluster.softFenced).as("pg1 is unreachable: no SQL fence").isEmpty();
            assertThat(harness.follow.nodes()).containsExactly("pg3");
            assertThat(harness.follow.requests.get(0).newPrimary()).contains(PG2);
            assertThat(harness.follow.requests.get(0).oldPrimary()).contains(PG1);
            assertThat(harness.promote.requests.get(0).epoch()).isEqualTo(2);

            assertThat(harness.events.all()).extracting(ClusterEvent::kind).containsSubsequence(
                    EventKind.PRIMARY_LOST, EventKind.FAILOVER_STARTED, EventKind.NODE_FENCED,
                    EventKind.ACTION_COMPLETED, EventKind.PRIMARY_ELECTED, EventKind.FAILOVER_COMPLETED);
        }

        @Test
        void doesNotFailOverWhileAStandbyStillStreamsFromThePrimary() {
            startWithPg1Elected();
            // The proxy's path to pg1 is cut: probes time out, replication goes on.
            harness.cluster.server("pg1").hung = true;

            harness.rounds(6);

            assertThat(harness.promote.requests).isEmpty();
            assertThat(harness.topology().primary()).contains("pg1");
            assertThat(harness.topology().node("pg1").orElseThrow().fenced()).isFalse();
            assertThat(harness.events(EventKind.PRIMARY_LOST)).isEmpty();
            assertThat(harness.events(EventKind.FAILOVER_HELD)).singleElement()
                    .extracting(ClusterEvent::reason).isEqualTo(Reason.STANDBY_STILL_STREAMING);

            // The standbys' wal_receiver_timeout expires: pg1 is really gone.
            harness.cluster.server("pg2").streaming = false;
            harness.cluster.server("pg3").streaming = false;
            harness.round();

            assertThat(harness.promote.nodes()).containsExactly("pg2");
            assertThat(routablePrimary(harness.topology())).contains("pg2");
        }

        @Test
        void aStandbyStreamingFromAnUnknownAddressCountsAsStreamingFromThePrimary() {
            startWithPg1Elected();
            harness.cluster.server("pg2").upstream = Optional.of(new BackendSettings("relay", "192.168.7.7", 6000, 1));
            harness.cluster.kill("pg1");
            harness.cluster.server("pg2").streaming = true;

            harness.rounds(5);

            assertThat(harness.promote.requests).isEmpty();
            assertThat(harness.events(EventKind.FAILOVER_HELD)).singleElement()
                    .extracting(ClusterEvent::reason).isEqualTo(Reason.STANDBY_STILL_STREAMING);
        }

        @Test
        void aStandbyCascadingFromAnotherStandbyDoesNotHoldFailover() {
            harness.cluster.server("pg3").upstream = Optional.of(PG2);
            startWithPg1Elected();
            harness.cluster.kill("pg1");

            harness.rounds(3);

            assertThat(harness.cluster.server("pg3").streaming).isTrue();
            assertThat(harness.promote.nodes()).containsExactly("pg2");
        }

        @Test
        void skipsACandidateLaggingPastMaxLagOnFailover() {
            harness.maxLagOnFailover = 1024 * 1024;
            harness.cluster.server("pg2").position = Lsn.parse("0/1000000");
            harness.cluster.server("pg3").position = Lsn.parse("0/4FF0000");
            startWithPg1Elected();
            harness.cluster.kill("pg1");

            harness.rounds(3);

            assertThat(harness.promote.nodes()).containsExactly("pg3");
            assertThat(harness.events(EventKind.CANDIDATE_SKIPPED)).singleElement().satisfies(event -> {
                assertThat(event.node()).contains("pg2");
                assertThat(event.reason()).isEqualTo(Reason.LAG_EXCEEDED);
            });
        }

        @Test
        void withNoQualifiedCandidateNothingIsFencedOrPromoted() {
            harness.maxLagOnFailover = 1024;
            harness.cluster.server("pg2").position = Lsn.parse("0/1000000");
            harness.cluster.server("pg3").position = Lsn.parse("0/1000000");
            startWithPg1Elected();
            harness.cluster.kill("pg1");

            harness.rounds(3);

            assertThat(harness.promote.requests).isEmpty();
            assertThat(harness.fence.requests).isEmpty();
            assertThat(harness.topology().primary()).contains("pg1");
            assertThat(harness.events(EventKind.FAILOVER_FAILED)).singleElement()
                    .extracting(ClusterEvent::reason).isEqualTo(Reason.NO_CANDIDATE);

            harness.rounds(2);
            assertThat(harness.events(EventKind.FAILOVER_FAILED)).as("retried only after a pause").hasSize(1);
        }

        @Test
        void aFailingPromoteActionMakesItTryTheNextCandidate() {
            harness.promote.behaviour = request -> request.node().orElseThrow().name().equals("pg2")
                    ? FakeCluster.result(ActionKind.PROMOTE, ActionStatus.FAILED, "ssh: connect to host 10.0.0.2: timeout")
                    : harness.cluster.promoteAction(request);
            startWithPg1Elected();
            harness.cluster.kill("pg1");

            harness.rounds(3);

            assertThat(harness.promote.nodes()).containsExactly("pg2", "pg3");
            assertThat(routablePrimary(harness.topology())).contains("pg3");
            assertThat(harness.topology().epoch()).isEqualTo(2);
            assertThat(harness.events(EventKind.CANDIDATE_SKIPPED)).singleElement().satisfies(event -> {
                assertThat(event.node()).contains("pg2");
                assertThat(event.reason()).isEqualTo(Reason.PROMOTE_ACTION_FAILED);
            });
            assertThat(harness.follow.nodes()).containsExactly("pg2");
        }

        @Test
        void aCandidateStillInRecoveryAtPromoteTimeoutIsPassedOver() {
            harness.promote.behaviour = request -> request.node().orElseThrow().name().equals("pg2")
                    ? FakeCluster.result(ActionKind.PROMOTE, ActionStatus.SUCCEEDED, "promote signalled")
                    : harness.cluster.promoteAction(request);
            startWithPg1Elected();
            harness.cluster.kill("pg1");
            Instant before = harness.time.now();

            harness.rounds(3);

            assertThat(routablePrimary(harness.topology())).contains("pg3");
            assertThat(harness.events(EventKind.CANDIDATE_SKIPPED)).singleElement()
                    .extracting(ClusterEvent::reason).isEqualTo(Reason.NOT_WRITABLE_IN_TIME);
            assertThat(Duration.between(before, harness.time.now()))
                    .isGreaterThanOrEqualTo(harness.promoteTimeout);
        }

        @Test
        void aProbeStartedBeforeThePromotionDoesNotUndoIt() {
            failOverFromPg1ToPg2();
            ProbeSuccess stale = new ProbeSuccess(harness.time.now().minusSeconds(1), Duration.ofMillis(3),
                    harness.cluster.server("pg3").observe());

            harness.coordinator.onProbe("pg2", stale);

            assertThat(routablePrimary(harness.topology())).contains("pg2");
        }
    }

    @Nested
    class Modes {

        @Test
        void manualModeReportsTheLossAndWaitsForTheOperator() {
            harness.mode = FailoverMode.MANUAL;
            startWithPg1Elected();
            harness.cluster.kill("pg1");

            harness.rounds(6);

            assertThat(harness.promote.requests).isEmpty();
            assertThat(harness.events(EventKind.PRIMARY_LOST)).hasSize(1);
            assertThat(harness.events(EventKind.FAILOVER_HELD)).singleElement()
                    .extracting(ClusterEvent::reason).isEqualTo(Reason.MANUAL_MODE);

            FailoverResult result = harness.coordinator.failover(Optional.of("pg3"));

            assertThat(result.succeeded()).isTrue();
            assertThat(result.newPrimary()).contains("pg3");
            assertThat(result.epoch()).isEqualTo(2);
            assertThat(routablePrimary(harness.topology())).contains("pg3");
        }

        @Test
        void anOperatorFailoverIsRefusedWhileThePrimaryIsUp() {
            startWithPg1Elected();

            FailoverResult result = harness.coordinator.failover(Optional.empty());

            assertThat(result.succeeded()).isFalse();
            assertThat(result.message()).contains("switchover");
            assertThat(harness.promote.requests).isEmpty();
            assertThat(routablePrimary(harness.topology())).contains("pg1");
        }

        @Test
        void externalModeNeverPromotesButFollowsTheNodeAnotherManagerPromoted() {
            harness.mode = FailoverMode.EXTERNAL;
            startWithPg1Elected();
            harness.cluster.kill("pg1");

            harness.rounds(6);
            assertThat(harness.promote.requests).isEmpty();
            assertThat(harness.events(EventKind.PRIMARY_LOST)).hasSize(1);
            assertThat(routablePrimary(harness.topology())).isEmpty();

            harness.cluster.promote("pg3");
            harness.round();

            assertThat(routablePrimary(harness.topology())).contains("pg3");
            assertThat(harness.topology().epoch()).isEqualTo(2);
            assertThat(harness.events(EventKind.PRIMARY_ELECTED)).last()
                    .extracting(ClusterEvent::reason).isEqualTo(Reason.EXTERNAL_PROMOTION);
            assertThat(harness.promote.requests).isEmpty();
            assertThat(harness.fence.requests).isEmpty();
        }

        @Test
        void externalModeStillRefusesASecondWritableNode() {
            harness.mode = FailoverMode.EXTERNAL;
            startWithPg1Elected();
            harness.cluster.promote("pg2");

            harness.rounds(3);

            assertThat(routablePrimary(harness.topology())).contains("pg1");
            assertThat(harness.topology().epoch()).isEqualTo(1);
            assertThat(harness.events(EventKind.ROGUE_PRIMARY)).singleElement()
                    .extracting(ClusterEvent::node).isEqualTo(Optional.of("pg2"));
            assertThat(harness.topology().routableStandbys()).extracting(NodeState::name).containsExactly("pg3");
            assertThat(harness.cluster.softFenced).as("external mode leaves the node to its manager").isEmpty();
        }
    }

    @Nested
    class RoguePrimary {

        @Test
        void theOldPrimaryComingBackWritableIsRefusedAndFencedAgain() {
            failOverFromPg1ToPg2();
            int fenceRuns = harness.fence.requests.size();
            harness.cluster.server("pg1").running = true;

            harness.rounds(4);

            Topology topology = harness.topology();
            assertThat(routablePrimary(topology)).contains("pg2");
            assertThat(topology.node("pg1").orElseThrow().fenced()).isTrue();
            assertThat(topology.roguePrimaries()).extracting(NodeState::name).containsExactly("pg1");
            assertThat(harness.events(EventKind.ROGUE_PRIMARY)).singleElement().satisfies(event -> {
                assertThat(event.node()).contains("pg1");
                assertThat(event.reason()).isEqualTo(Reason.WRITABLE_WITHOUT_ELECTION);
            });
            assertThat(harness.cluster.softFenced).containsExactly("pg1");
            assertThat(harness.cluster.server("pg1").readOnly).isTrue();
            assertThat(harness.fence.requests).hasSize(fenceRuns + 1);
            assertThat(harness.rejoin.nodes()).contains("pg1");
            assertThat(harness.terminated).containsExactly("pg1", "pg1");
        }

        @Test
        void autoRejoinUnfencesItOnceItStreamsOnTheElectedPrimarysTimeline() {
            failOverFromPg1ToPg2();
            FakeCluster.Server pg1 = harness.cluster.server("pg1");
            pg1.running = true;
            harness.round();
            assertThat(harness.topology().node("pg1").orElseThrow().fenced()).isTrue();

            // Rewound and started as a standby, but still on the old timeline: not yet.
            pg1.inRecovery = true;
            pg1.upstream = Optional.of(PG2);
            pg1.streaming = true;
            harness.round();
            assertThat(harness.topology().node("pg1").orElseThrow().fenced()).isTrue();

            pg1.timeline = harness.cluster.server("pg2").timeline;
            harness.round();

            assertThat(harness.topology().node("pg1").orElseThrow().fenced()).isFalse();
            assertThat(harness.topology().routableStandbys()).extracting(NodeState::name).contains("pg1");
            assertThat(harness.cluster.softFenceLifted).containsExactly("pg1");
            assertThat(harness.events(EventKind.NODE_UNFENCED)).singleElement()
                    .extracting(ClusterEvent::reason).isEqualTo(Reason.AUTO_REJOIN);
            assertThat(harness.store.load().fenced()).isEmpty();
        }

        @Test
        void withoutAutoRejoinOnlyAnOperatorUnfences() {
            harness.autoRejoin = false;
            failOverFromPg1ToPg2();
            FakeCluster.Server pg1 = harness.cluster.server("pg1");
            pg1.running = true;
            harness.round();
            assertThat(harness.coordinator.unfence("pg1").succeeded()).as("refused while writable").isFalse();

            pg1.inRecovery = true;
            pg1.upstream = Optional.of(PG2);
            pg1.streaming = true;
            pg1.timeline = harness.cluster.server("pg2").timeline;
            harness.rounds(3);
            assertThat(harness.topology().node("pg1").orElseThrow().fenced()).isTrue();
            assertThat(harness.rejoin.requests).isEmpty();

            assertThat(harness.coordinator.unfence("pg1").succeeded()).isTrue();
            assertThat(harness.topology().node("pg1").orElseThrow().fenced()).isFalse();
        }

        @Test
        void aRestartedCoordinatorDoesNotMistakeTheNotYetProbedPrimaryForALostOne() {
            startWithPg1Elected();
            harness.start();

            // The standbys answer before the primary's first probe comes back.
            harness.time.advance(CoordinatorHarness.INTERVAL);
            harness.coordinator.onProbe("pg2", harness.cluster.probe("pg2"));
            harness.coordinator.onProbe("pg3", harness.cluster.probe("pg3"));
            harness.coordinator.onProbe("pg2", harness.cluster.probe("pg2"));
            harness.round();

            assertThat(harness.events(EventKind.PRIMARY_LOST)).isEmpty();
            assertThat(harness.events(EventKind.FAILOVER_STARTED)).isEmpty();
            assertThat(routablePrimary(harness.topology())).contains("pg1");
        }

        @Test
        void aRestartedCoordinatorKeepsTheNewPrimaryElectedAndTheOldOneFenced() {
            failOverFromPg1ToPg2();
            harness.cluster.server("pg1").running = true;

            harness.start();
            Topology restored = harness.topology();
            assertThat(restored.primary()).contains("pg2");
            assertThat(restored.epoch()).isEqualTo(2);
            assertThat(restored.node("pg1").orElseThrow().fenced()).isTrue();
            assertThat(restored.routablePrimary()).as("not routed before pg2 answered").isEmpty();

            harness.rounds(2);

            assertThat(routablePrimary(harness.topology())).contains("pg2");
            assertThat(harness.topology().epoch()).isEqualTo(2);
            assertThat(harness.topology().node("pg1").orElseThrow().fenced()).isTrue();
            assertThat(harness.events(EventKind.ROGUE_PRIMARY)).extracting(ClusterEvent::node)
                    .containsOnly(Optional.of("pg1"));
        }
    }

    @Nested
    class Switchover {

        @Test
        void promotesTheCaughtUpStandbyWhileTrafficIsHeld() {
            startWithPg1Elected();

            FailoverResult result = harness.coordinator.switchover(Optional.empty());

            assertThat(result.succeeded()).isTrue();
            assertThat(result.newPrimary()).contains("pg2");
            assertThat(harness.gateCalls).containsExactly("pause [pg1, pg2]", "awaitIdle", "resume");
            assertThat(harness.cluster.softFenced).containsExactly("pg1");
            assertThat(harness.terminated).contains("pg1");
            Topology topology = harness.topology();
            assertThat(routablePrimary(topology)).contains("pg2");
            assertThat(topology.epoch()).isEqualTo(2);
            assertThat(topology.node("pg1").orElseThrow().fenced()).isTrue();
            assertThat(harness.follow.nodes()).containsExactly("pg3");
        }

        @Test
        void aCandidateThatDoesNotCatchUpLeavesTheOldPrimaryInCharge() {
            harness.cluster.server("pg2").position = Lsn.parse("0/4000000");
            startWithPg1Elected();

            FailoverResult result = harness.coordinator.switchover(Optional.of("pg2"));

            assertThat(result.succeeded()).isFalse();
            assertThat(result.reason()).isEqualTo(Reason.CATCH_UP_TIMEOUT);
            assertThat(harness.gateCalls).containsExactly("pause [pg1, pg2]", "awaitIdle", "resume");
            assertThat(harness.promote.requests).isEmpty();
            assertThat(harness.cluster.softFenceLifted).containsExactly("pg1");
            assertThat(harness.cluster.server("pg1").readOnly).isFalse();
            harness.round();
            assertThat(routablePrimary(harness.topology())).contains("pg1");
            assertThat(harness.topology().epoch()).isEqualTo(1);
        }

        @Test
        void sessionsThatDoNotGoIdleAbortTheSwitchoverBeforeAnythingChanges() {
            harness.sessionsGoIdle = false;
            startWithPg1Elected();

            FailoverResult result = harness.coordinator.switchover(Optional.empty());

            assertThat(result.succeeded()).isFalse();
            assertThat(result.reason()).isEqualTo(Reason.SESSIONS_NOT_IDLE);
            assertThat(harness.gateCalls).containsExactly("pause [pg1, pg2]", "awaitIdle", "resume");
            assertThat(harness.cluster.softFenced).isEmpty();
            assertThat(routablePrimary(harness.topology())).contains("pg1");
        }
    }
}
