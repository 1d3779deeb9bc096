package io.pgwarden.health.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgwarden.config.BackendSettings;
import io.pgwarden.health.FakeTimeSource;
import io.pgwarden.health.action.ActionKind;
import io.pgwarden.health.action.ActionStatus;
import io.pgwarden.health.event.ClusterEvent;
import io.pgwarden.health.event.EventKind;
import io.pgwarden.health.event.EventLog;
import io.pgwarden.health.event.Outcome;
import io.pgwarden.health.event.Reason;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StateChangeHookTest {

    private static final BackendSettings PG1 = new BackendSettings("pg1", "10.0.0.1", 5432, 1);

    @Test
    void runsTheHookForStateChangesOnlyAndRecordsItsResult() {
        EventLog events = new EventLog(100, new FakeTimeSource());
        RecordingAction hook = new RecordingAction(false,
                request -> FakeCluster.result(ActionKind.ON_STATE_CHANGE, ActionStatus.SUCCEEDED, "notified"));
        try (StateChangeHook ignored = new StateChangeHook(hook, Duration.ofSeconds(5), events, List.of(PG1))) {
            events.record(3, EventKind.FAILOVER_STARTED, Optional.of("pg1"), Reason.PRIMARY_DOWN, Outcome.OBSERVED,
                    "not a state change", Optional.empty());
            ClusterEvent fenced = events.record(3, EventKind.NODE_FENCED, Optional.of("pg1"), Reason.PRIMARY_DOWN,
                    Outcome.SUCCEEDED, "no longer routed", Optional.empty());

            await().atMost(Duration.ofSeconds(5)).until(() -> events.all().stream()
                    .anyMatch(event -> event.kind() == EventKind.ACTION_COMPLETED));

            assertThat(hook.requests).singleElement().satisfies(request -> {
                assertThat(request.event()).isEqualTo("node-fenced");
                assertThat(request.reason()).isEqualTo("primary-down");
                assertThat(request.epoch()).isEqualTo(3);
                assertThat(request.node()).contains(PG1);
                assertThat(request.environment()).containsEntry("PGWARDEN_SEQUENCE", Long.toString(fenced.sequence()))
                        .containsEntry("PGWARDEN_MESSAGE", "no longer routed");
            });
            ClusterEvent result = events.all().get(events.all().size() - 1);
            assertThat(result.reason()).isEqualTo(Reason.STATE_CHANGED);
            assertThat(result.action()).hasValueSatisfying(action -> assertThat(action.output()).isEqualTo("notified"));
            assertThat(hook.requests).as("its own result event does not run the hook again").hasSize(1);
        }
    }

    @Test
    void aNodeRemovedByAReloadIsDescribedAsItWasWhenTheEventWasRecorded() {
        EventLog events = new EventLog(100, new FakeTimeSource());
        RecordingAction hook = new RecordingAction(false,
                request -> FakeCluster.result(ActionKind.ON_STATE_CHANGE, ActionStatus.SUCCEEDED, "notified"));
        try (StateChangeHook stateChange = new StateChangeHook(hook, Duration.ofSeconds(5), events, List.of(PG1))) {
            events.record(3, EventKind.NODE_REMOVED, Optional.of("pg1"), Reason.CONFIGURATION_RELOADED,
                    Outcome.SUCCEEDED, "no longer configured", Optional.empty());
            stateChange.backends(List.of());

            await().atMost(Duration.ofSeconds(5)).until(() -> hook.requests.size() == 1);

            assertThat(hook.requests.get(0).event()).isEqualTo("node-removed");
            assertThat(hook.requests.get(0).node()).contains(PG1);
        }
    }
}
