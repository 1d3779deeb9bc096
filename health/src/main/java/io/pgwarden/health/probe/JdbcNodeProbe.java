package io.pgwarden.health.probe;

import io.pgwarden.config.BackendSettings;
import io.pgwarden.health.TimeSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes one backend over one long-lived monitor connection, reopened after any failure.
 *
 * <p>The JDBC work runs on a worker thread of this backend alone; {@link #probe()} waits for it
 * until the deadline ({@code timeout}, plus {@code connect-timeout} when the connection must be
 * opened first). At the deadline the connection is aborted, which closes its socket and unblocks
 * the worker. A worker stuck while opening a connection (no {@code Connection} to abort yet) is
 * left to pgjdbc's whole-second timeouts; until it returns, each probe fails at once rather than
 * queueing behind it, so failures are still counted once per interval.
 */
public final class JdbcNodeProbe implements NodeProbe {

    private static final Logger log = LoggerFactory.getLogger(JdbcNodeProbe.class);

    private final BackendSettings node;
    private final MonitorConnector connector;
    private final Duration timeout;
    private final TimeSource time;
    private final ExecutorService worker;
    private final AtomicReference<Connection> connection = new AtomicReference<>();
    private Future<ProbeObservation> pending;

    public JdbcNodeProbe(BackendSettings node, MonitorConnector connector, Duration timeout, TimeSource time) {
        this.node = Objects.requireNonNull(node, "node");
        this.connector = Objects.requireNonNull(connector, "connector");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.time = Objects.requireNonNull(time, "time");
        this.worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pgwarden-probe-sql-" + node.name());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public ProbeOutcome probe() {
        Instant startedAt = time.now();
        long start = time.nanoTime();
        if (pending != null && !pending.isDone()) {
            // The previous probe timed out and its connection was aborted; give the worker up to
            // one timeout to come back before counting another failure. Failing at once would
            // let a single stall (a starved worker thread) count as several failed probes.
            try {
                pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return new ProbeFailure(startedAt, elapsed(start), ProbeFailure.Kind.TIMEOUT,
                        "previous probe of " + node.name() + " is still waiting for the server");
            } catch (ExecutionException | CancellationException e) {
                // that probe's failure was already counted
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new ProbeFailure(startedAt, elapsed(start), ProbeFailure.Kind.QUERY_FAILED, "probe interrupted");
            }
        }
        boolean mustConnect = connection.get() == null;
        Duration deadline = mustConnect ? timeout.plus(connector.connectTimeout()) : timeout;
        pending = worker.submit(this::probeOnWorker);
        try {
            ProbeObservation observation = pending.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
            return new ProbeSuccess(startedAt, elapsed(start), observation);
        } catch (TimeoutException e) {
            dropConnection();
            return new ProbeFailure(startedAt, elapsed(start), ProbeFailure.Kind.TIMEOUT,
                    "no answer within " + deadline.toMillis() + " ms");
        } catch (ExecutionException e) {
            dropConnection();
            Throwable cause = e.getCause();
            ProbeFailure.Kind kind = cause instanceof ConnectFailed ? ProbeFailure.Kind.CONNECT_FAILED
                    : ProbeFailure.Kind.QUERY_FAILED;
            Throwable reported = cause instanceof ConnectFailed ? cause.getCause() : cause;
            return new ProbeFailure(startedAt, elapsed(start), kind, describe(reported));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dropConnection();
            return new ProbeFailure(startedAt, elapsed(start), ProbeFailure.Kind.QUERY_FAILED, "probe interrupted");
        }
    }

    private ProbeObservation probeOnWorker() throws SQLException, ConnectFailed {
        Connection current = connection.get();
        if (current == null) {
            try {
                current = connector.open(node, timeout);
            } catch (SQLException e) {
                throw new ConnectFailed(e);
            }
            if (!connection.compareAndSet(null, current)) {
                MonitorConnector.abort(current);
                throw new SQLException("probe abandoned while connecting");
            }
            log.debug("monitor connection to {} opened", node.name());
        }
        return ProbeQuery.run(current);
    }

    private void dropConnection() {
        Connection current = connection.getAndSet(null);
        if (current != null) {
            MonitorConnector.abort(current);
        }
    }

    private Duration elapsed(long start) {
        return Duration.ofNanos(time.nanoTime() - start);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    @Override
    public void close() {
        dropConnection();
        worker.shutdownNow();
    }

    /** Marks a failure to open the connection, as opposed to a failure of the query. */
    private static final class ConnectFailed extends Exception {
        ConnectFailed(SQLException cause) {
            super(cause);
        }
    }
}
