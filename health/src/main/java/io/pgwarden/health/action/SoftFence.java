package io.pgwarden.health.action;

import io.pgwarden.config.BackendSettings;
import io.pgwarden.health.probe.MonitorConnector;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeoutException;

/**
 * The built-in fence of a node that is still reachable: {@code ALTER SYSTEM SET
 * default_transaction_read_only = on}, reload, and terminate every client backend except the
 * monitor's own. It stops writes from applications that bypass the proxy, and survives a restart
 * (it is written to {@code postgresql.auto.conf}). A session can still {@code SET} it off, so it is
 * a soft fence; a fence command that stops the server is the hard one.
 */
public final class SoftFence implements FailoverAction {

    private final MonitorConnector connector;
    private final Duration timeout;

    public SoftFence(MonitorConnector connector, Duration timeout) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public String description() {
        return "built-in soft fence (default_transaction_read_only = on, terminate client backends)";
    }

    @Override
    public boolean needsReachableNode() {
        return true;
    }

    @Override
    public ActionResult run(ActionRequest request) {
        BackendSettings node = request.node().orElseThrow(() -> new IllegalArgumentException("fence needs a node"));
        long start = System.nanoTime();
        try {
            int terminated = connector.call(node, timeout, connection -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("ALTER SYSTEM SET default_transaction_read_only = on");
                    statement.execute("SELECT pg_reload_conf()");
                }
                try (PreparedStatement statement = connection.prepareStatement("""
                        SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))
                          FROM pg_stat_activity
                         WHERE backend_type = 'client backend'
                           AND pid <> pg_backend_pid()
                           AND application_name IS DISTINCT FROM ?""")) {
                    statement.setString(1, connector.applicationName());
                    try (ResultSet row = statement.executeQuery()) {
                        row.next();
                        return row.getInt(1);
                    }
                }
            });
            return result(ActionStatus.SUCCEEDED,
                    "default_transaction_read_only = on; terminated " + terminated + " client backends", start);
        } catch (TimeoutException e) {
            return result(ActionStatus.TIMED_OUT, e.getMessage(), start);
        } catch (SQLException e) {
            return result(ActionStatus.FAILED, e.getMessage(), start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result(ActionStatus.FAILED, "interrupted", start);
        }
    }

    /** Undoes the soft fence: {@code ALTER SYSTEM RESET default_transaction_read_only}, reload. */
    public void lift(BackendSettings node) throws SQLException, TimeoutException, InterruptedException {
        connector.call(node, timeout, connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("ALTER SYSTEM RESET default_transaction_read_only");
                statement.execute("SELECT pg_reload_conf()");
            }
            return null;
        });
    }

    private ActionResult result(ActionStatus status, String output, long start) {
        return new ActionResult(ActionKind.FENCE, description(), status, OptionalInt.empty(), output,
                Duration.ofNanos(System.nanoTime() - start));
    }
}
