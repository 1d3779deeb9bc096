package io.pgwarden.server.cli;

import io.pgwarden.admin.port.ClusterOperations;
import io.pgwarden.config.BackendSettings;
import io.pgwarden.config.FailoverMode;
import io.pgwarden.health.TimeSource;
import io.pgwarden.health.event.EventLog;
import io.pgwarden.health.event.Reason;
import io.pgwarden.health.failover.CommandResult;
import io.pgwarden.health.failover.FailoverResult;
import io.pgwarden.health.probe.Lsn;
import io.pgwarden.health.probe.ProbeObservation;
import io.pgwarden.health.probe.ProbeSuccess;
import io.pgwarden.health.topology.NodeState;
import io.pgwarden.health.topology.Topology;
import io.pgwarden.health.topology.TopologyPublisher;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/** A two-node cluster answering operator commands with set results: the admin API's other side for CLI tests. */
final class StubCluster implements ClusterOperations {

    final EventLog events = new EventLog(100, TimeSource.system());
    final TopologyPublisher topology;
    volatile FailoverResult switchoverResult = new FailoverResult(true, Optional.of("pg1"), Optional.of("pg2"), 2,
            Reason.SWITCHOVER, "pg2 promoted and elected at epoch 2; write pause 812 ms", Duration.ofMillis(1234));
    volatile CommandResult fenceResult = new CommandResult(true, "pg2 fenced");

    StubCluster() {
        Instant at = Instant.parse("2025-03-01T10:00:00Z");
        NodeState pg1 = NodeState.initial(new BackendSettings("pg1", "10.0.0.1", 5432, 100))
                .afterProbe(new ProbeSuccess(at, Duration.ofMillis(2), new ProbeObservation(false,
                        Optional.of(Lsn.parse("0/5000060")), Optional.empty(), Optional.empty(), OptionalLong.of(1),
                        Optional.empty(), Optional.empty(), false)), 3);
        NodeState pg2 = NodeState.initial(new BackendSettings("pg2", "10.0.0.2", 5432, 100))
                .afterProbe(new ProbeSuccess(at, Duration.ofMillis(2), new ProbeObservation(true, Optional.empty(),
                        Optional.of(Lsn.parse("0/5000000")), Optional.of(Lsn.parse("0/5000000")), OptionalLong.of(1),
                        Optional.of(Duration.ofMillis(1500)), Optional.empty(), false)), 3)
                .withLagBytes(OptionalLong.of(96));
        topology = new TopologyPublisher(new Topology(1, 1, Optional.of("pg1"), List.of(pg1, pg2), at));
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
        return FailoverMode.AUTOMATIC;
    }

    @Override
    public CompletableFuture<FailoverResult> failover(Optional<String> candidate) {
        return CompletableFuture.completedFuture(switchoverResult);
    }

    @Override
    public CompletableFuture<FailoverResult> switchover(Optional<String> candidate) {
        return CompletableFuture.completedFuture(switchoverResult);
    }

    @Override
    public CompletableFuture<CommandResult> fence(String node) {
        return CompletableFuture.completedFuture(fenceResult);
    }

    @Override
    public CompletableFuture<CommandResult> unfence(String node) {
        return CompletableFuture.completedFuture(new CommandResult(true, node + " unfenced"));
    }
}
