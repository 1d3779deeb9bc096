package io.pgwarden.admin;

import io.pgwarden.admin.port.ClusterOperations;
import io.pgwarden.config.BackendSettings;
import io.pgwarden.config.FailoverMode;
import io.pgwarden.health.event.EventLog;
import io.pgwarden.health.failover.CommandResult;
import io.pgwarden.health.failover.FailoverResult;
import io.pgwarden.health.probe.Lsn;
import io.pgwarden.health.probe.ProbeFailure;
import io.pgwarden.health.probe.ProbeObservation;
import io.pgwarden.health.probe.ProbeSuccess;
import io.pgwarden.health.probe.WalReceiverStatus;
import io.pgwarden.health.topology.NodeState;
import io.pgwarden.health.topology.Topology;
import io.pgwarden.health.topology.TopologyPublisher;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A cluster for unit tests: real topology snapshots and a real event log under a manual clock,
 * and operator commands answered by functions the test sets.
 */
public final class FakeCluster implements ClusterOperations {

    public static final Instant START = Instant.parse("2025-03-01T10:00:00Z");

    public final ManualTime time = new ManualTime(START);
    public final EventLog events = new EventLog(100, time);
    public final TopologyPublisher topology = new TopologyPublisher(healthy(1, 1));
    public final List<String> calls = new CopyOnWriteArrayList<>();
    public volatile FailoverMode mode = FailoverMode.MANUAL;
    public volatile Function<Optional<String>, CompletableFuture<FailoverResult>> onSwitchover =
            target -> CompletableFuture.completedFuture(succeeded(target.orElse("pg2")));
    public volatile Function<Optional<String>, CompletableFuture<FailoverResult>> onFailover =
            target -> CompletableFuture.completedFuture(succeeded(target.orElse("pg2")));
    public volatile Function<String, CommandResult> onFence = node -> new CommandResult(true, node + " fenced");
    public volatile Function<String, CommandResult> onUnfence = node -> new CommandResult(true, node + " unfenced");

    /** pg1 an UP primary elected at {@code epoch}, pg2 and pg3 UP standbys streaming from it. */
    public static Topology healthy(long epoch, long version) {
        Instant at = START;
        NodeState pg1 = NodeState.initial(new BackendSettings("pg1", "127.0.0.1", 5432, 100))
                .afterProbe(new ProbeSuccess(at, Duration.ofMillis(3), primary("0/3000148")), 3);
        NodeState pg2 = NodeState.initial(new BackendSettings("pg2", "127.0.0.1", 5433, 100))
                .afterProbe(new ProbeSuccess(at, Duration.ofMillis(4), standby("0/3000100")), 3)
                .withLagBytes(OptionalLong.of(0x48));
        NodeState pg3 = NodeState.initial(new BackendSettings("pg3", "127.0.0.1", 5434, 50))
                .afterProbe(new ProbeSuccess(at, Duration.ofMillis(5), standby("0/3000148")), 3)
                .withLagBytes(OptionalLong.of(0));
        return new Topology(epoch, version, Optional.of("pg1"), List.of(pg1, pg2, pg3), at);
    }

    /** {@code base} with the node replaced by one whose latest probe failed at {@code at}. */
    public static Topology withFailedProbe(Topology base, String name, Instant at, long version) {
        List<NodeState> nodes = base.nodes().stream()
                .map(node -> node.name().equals(name) ? node.afterProbe(new ProbeFailure(at, Duration.ofMillis(1),
                        ProbeFailure.Kind.CONNECT_FAILED, "Connection refused"), 3) : node)
                .toList();
        return new Topology(base.epoch(), version, base.primary(), nodes, at);
    }

    static ProbeObservation primary(String lsn) {
        return new ProbeObservation(false, Optional.of(Lsn.parse(lsn)), Optional.empty(), Optional.empty(),
                OptionalLong.of(1), Optional.empty(), Optional.empty(), false);
    }

    static ProbeObservation standby(String lsn) {
        WalReceiverStatus receiver = new WalReceiverStatus("streaming", Optional.of("127.0.0.1"), OptionalInt.of(5432),
                OptionalLong.of(1), Optional.of(START));
        return new ProbeObservation(true, Optional.empty(), Optional.of(Lsn.parse(lsn)), Optional.of(Lsn.parse(lsn)),
                OptionalLong.of(1), Optional.of(Duration.ofMillis(250)), Optional.of(receiver), false);
    }

    public static FailoverResult succeeded(String newPrimary) {
        return new FailoverResult(true, Optional.of("pg1"), Optional.of(newPrimary), 2,
                io.pgwarden.health.event.Reason.PROMOTED, newPrimary + " promoted and elected at epoch 2",
                Duration.ofMillis(1500));
    }

    @Override
    public TopologyPublisher topology() {
        return topology;
    }

    @Override
    public EventLog events() {
        return events;
    }

    @Override
    public FailoverMode failoverMode() {
        return mode;
    }

    @Override
    public CompletableFuture<FailoverResult> failover(Optional<String> candidate) {
        calls.add("failover " + candidate.orElse("-"));
        return onFailover.apply(candidate);
    }

    @Override
    public CompletableFuture<FailoverResult> switchover(Optional<String> candidate) {
        calls.add("switchover " + candidate.orElse("-"));
        return onSwitchover.apply(candidate);
    }

    @Override
    public CompletableFuture<CommandResult> fence(String node) {
        calls.add("fence " + node);
        return CompletableFuture.completedFuture(onFence.apply(node));
    }

    @Override
    public CompletableFuture<CommandResult> unfence(String node) {
        calls.add("unfence " + node);
        return CompletableFuture.completedFuture(onUnfence.apply(node));
    }
}
