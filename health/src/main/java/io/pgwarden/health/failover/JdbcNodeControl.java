package io.pgwarden.health.failover;

import io.pgwarden.config.BackendSettings;
import io.pgwarden.health.TimeSource;
import io.pgwarden.health.action.ActionRequest;
import io.pgwarden.health.action.ActionResult;
import io.pgwarden.health.action.SoftFence;
import io.pgwarden.health.probe.MonitorConnector;
import io.pgwarden.health.probe.ProbeFailure;
import io.pgwarden.health.probe.ProbeOutcome;
import io.pgwarden.health.probe.ProbeQuery;
import io.pgwarden.health.probe.ProbeSuccess;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/** {@link NodeControl} over monitor connections. */
public final class JdbcNodeControl implements NodeControl {

    private final MonitorConnector connector;
    private final SoftFence softFence;
    private final TimeSource time;

    /** @param fenceTimeout how long a soft fence, or lifting it, may take */
    public JdbcNodeControl(MonitorConnector connector, Duration fenceTimeout, TimeSource time) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.softFence = new SoftFence(connector, fenceTimeout);
        this.time = Objects.requireNonNull(time, "time");
    }

    @Override
    public ProbeOutcome inspect(BackendSettings node, Duration deadline) {
        Instant startedAt = time.now();
        long start = time.nanoTime();
        try {
            return new ProbeSuccess(startedAt, Duration.ofNanos(time.nanoTime() - start),
                    connector.call(node, deadline, ProbeQuery::run));
        } catch (TimeoutException e) {
            return new ProbeFailure(startedAt, Duration.ofNanos(time.nanoTime() - start), ProbeFailure.Kind.TIMEOUT,
                    e.getMessage());
        } catch (SQLException e) {
            return new ProbeFailure(startedAt, Duration.ofNanos(time.nanoTime() - start),
                    ProbeFailure.Kind.QUERY_FAILED, String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProbeFailure(startedAt, Duration.ofNanos(time.nanoTime() - start),
                    ProbeFailure.Kind.QUERY_FAILED, "interrupted");
        }
    }

    @Override
    public ActionResult softFence(ActionRequest request) {
        return softFence.run(request);
    }

    @Override
    public Optional<String> liftSoftFence(BackendSettings node) {
        try {
            softFence.lift(node);
            return Optional.empty();
        } catch (TimeoutException | SQLException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }
}
