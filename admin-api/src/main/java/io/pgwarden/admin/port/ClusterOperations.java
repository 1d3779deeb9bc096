package io.pgwarden.admin.port;

import io.pgwarden.config.FailoverMode;
import io.pgwarden.health.ClusterMonitor;
import io.pgwarden.health.event.EventLog;
import io.pgwarden.health.failover.CommandResult;
import io.pgwarden.health.failover.FailoverResult;
import io.pgwarden.health.topology.TopologySource;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The cluster as the admin API sees it: the part of {@link ClusterMonitor} it reads and drives.
 * {@link #of} adapts a monitor; tests may put a fake behind it. The futures complete on the
 * monitor's coordinator thread.
 */
public interface ClusterOperations {

    TopologySource topology();

    EventLog events();

    /** The failover mode in force (it may change with a reload). */
    FailoverMode failoverMode();

    CompletableFuture<FailoverResult> failover(Optional<String> candidate);

    CompletableFuture<FailoverResult> switchover(Optional<String> candidate);

    CompletableFuture<CommandResult> fence(String node);

    CompletableFuture<CommandResult> unfence(String node);

    /**
     * @param failoverMode the mode in force, read at every {@code GET /cluster}
     */
    static ClusterOperations of(ClusterMonitor monitor, Supplier<FailoverMode> failoverMode) {
        Objects.requireNonNull(monitor, "monitor");
        Objects.requireNonNull(failoverMode, "failoverMode");
        return new ClusterOperations() {
            @Override
            public TopologySource topology() {
                return monitor.topology();
            }

            @Override
            public EventLog events() {
                return monitor.events();
            }

            @Override
            public FailoverMode failoverMode() {
                return failoverMode.get();
            }

            @Override
            public CompletableFuture<FailoverResult> failover(Optional<String> candidate) {
                return monitor.failover(candidate);
            }

            @Override
            public CompletableFuture<FailoverResult> switchover(Optional<String> candidate) {
                return monitor.switchover(candidate);
            }

            @Override
            public CompletableFuture<CommandResult> fence(String node) {
                return monitor.fence(node);
            }

            @Override
            public CompletableFuture<CommandResult> unfence(String node) {
                return monitor.unfence(node);
            }
        };
    }
}
