package io.pgwarden.health.failover;

import io.pgwarden.config.ActionSettings;
import io.pgwarden.config.BackendSettings;
import io.pgwarden.config.FailoverMode;
import io.pgwarden.config.FailoverSettings;
import io.pgwarden.config.HealthSettings;
import io.pgwarden.health.FakeTimeSource;
import io.pgwarden.health.action.ActionKind;
import io.pgwarden.health.action.ActionSet;
import io.pgwarden.health.action.ActionStatus;
import io.pgwarden.health.event.ClusterEvent;
import io.pgwarden.health.event.EventKind;
import io.pgwarden.health.event.EventLog;
import io.pgwarden.health.state.InMemoryStateStore;
import io.pgwarden.health.topology.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;

/**
 * A coordinator over a {@link FakeCluster} of a primary pg1 and standbys pg2 and pg3, under a fake
 * clock: each {@link #round()} advances the clock by one probe interval and feeds every node's
 * probe outcome to the coordinator, as the probe threads would.
 */
final class CoordinatorHarness {

    static final BackendSettings PG1 = new BackendSettings("pg1", "10.0.0.1", 5432, 100);
    static final BackendSettings PG2 = new BackendSettings("pg2", "10.0.0.2", 5432, 100);
    static final BackendSettings PG3 = new BackendSettings("pg3", "10.0.0.3", 5432, 50);

    static final Duration INTERVAL = Duration.ofMillis(250);
    static final int FAILURES_BEFORE_DOWN = 3;

    final FakeTimeSource time = new FakeTimeSource();
    final FakeCluster cluster = new FakeCluster(time);
    final InMemoryStateStore store = new InMemoryStateStore();
    final EventLog events = new EventLog(1000, time);
    final RecordingAction promote = new RecordingAction(true, cluster::promoteAction);
    final RecordingAction fence = new RecordingAction(false,
            request -> FakeCluster.result(ActionKind.FENCE, ActionStatus.SUCCEEDED, "stopped"));
    final RecordingAction follow = new RecordingAction(true, cluster::followAction);
    final RecordingAction rejoin = new RecordingAction(false,
            request -> FakeCluster.result(ActionKind.REJOIN, ActionStatus.FAILED, "pg_rewind: source unreachable"));
    final List<String> terminated = new ArrayList<>();
    final List<String> gateCalls = new ArrayList<>();
    boolean sessionsGoIdle = true;

    FailoverMode mode = FailoverMode.AUTOMATIC;
    boolean autoRejoin = true;
    long maxLagOnFailover = 16 * 1024 * 1024;
    Duration promoteTimeout = Duration.ofSeconds(2);

    ActionSet actions;
    FailoverCoordinator coordinator;

    CoordinatorHarness() {
        cluster.primary(PG1, "0/5000000");
        cluster.standby(PG2, "0/5000000", PG1);
        cluster.standby(PG3, "0/4F00000", PG1);
    }

    HealthSettings health() {
        return new HealthSettings(INTERVAL, Duration.ofMillis(500), Duration.ofMillis(500), FAILURES_BEFORE_DOWN);
    }

    FailoverSettings failover() {
        ActionSettings action = new ActionSettings(Optional.empty(), Duration.ofSeconds(5));
        return new FailoverSettings(mode, maxLagOnFailover, promoteTimeout, Duration.ofSeconds(5), autoRejoin,
                Path.of("unused-state.json"), action, action, action, action, action);
    }

    /** A new coordinator (as after a restart of pgwarden) on the same state store, started. */
    FailoverCoordinator start() {
        actions = new ActionSet(Map.of(ActionKind.PROMOTE, promote, ActionKind.FENCE, fence,
                ActionKind.FOLLOW, follow, ActionKind.REJOIN, rejoin, ActionKind.ON_STATE_CHANGE, follow));
        TrafficGate gate = new TrafficGate() {
            @Override
            public void pause() {
                gateCalls.add("pause");
            }

            @Override
            public void pause(Set<String> nodes) {
                gateCalls.add("pause " + nodes.stream().sorted().toList());
            }

            @Override
            public boolean awaitIdle(Duration timeout) {
                gateCalls.add("awaitIdle");
                return sessionsGoIdle;
            }

            @Override
            public void resume() {
                gateCalls.add("resume");
            }
        };
        coordinator = new FailoverCoordinator(cluster.backends(), health(), failover(), store, actions, cluster,
                (node, reason) -> terminated.add(node), gate, events, time);
        try {
            coordinator.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return coordinator;
    }

    /** One probe interval: every node probed once. */
    void round() {
        time.advance(INTERVAL);
        for (BackendSettings backend : cluster.backends()) {
            coordinator.onProbe(backend.name(), cluster.probe(backend.name()));
        }
    }

    void rounds(int count) {
        for (int i = 0; i < count; i++) {
            round();
        }
    }

    Topology topology() {
        return coordinator.topology().current();
    }

    List<ClusterEvent> events(EventKind kind) {
        return events.all().stream().filter(event -> event.kind() == kind).toList();
    }
}
