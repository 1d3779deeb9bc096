package io.pgwarden.health.action;

import io.pgwarden.config.BackendSettings;
import io.pgwarden.health.probe.MonitorConnector;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeoutException;

/**
 * Promotes with {@code SELECT pg_promote(wait => true, wait_seconds => N)}, N being the action
 * timeout rounded down to whole seconds (at least 1).
 */
final class BuiltinPromote implements FailoverAction {

    private final MonitorConnector connector;
    private final Duration timeout;

    BuiltinPromote(MonitorConnector connector, Duration timeout) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public String description() {
        return "built-in pg_promote()";
    }

    @Override
    public boolean needsReachableNode() {
        return true;
    }

    @Override
    public ActionResult run(ActionRequest request) {
        BackendSettings node = request.node().orElseThrow(() -> new IllegalArgumentException("promote needs a node"));
        long start = System.nanoTime();
        int waitSeconds = (int) Math.max(1, timeout.toSeconds());
        try {
            String message = connector.call(node, timeout, connection -> {
                try (PreparedStatement statement = connection.prepareStatement(
                        "SELECT pg_promote(wait => true, wait_seconds => ?)")) {
                    statement.setInt(1, waitSeconds);
                    try (ResultSet row = statement.executeQuery()) {
                        row.next();
                        return row.getBoolean(1) ? "promoted" : null;
                    }
                } catch (SQLException e) {
                    // 55000: "recovery is not in progress": it is writable already.
                    if ("55000".equals(e.getSQLState())) {
                        return "already out of recovery: " + e.getMessage();
                    }
                    throw e;
                }
            });
            if (message == null) {
                return result(ActionStatus.FAILED, "pg_promote() returned false: not promoted within "
                        + waitSeconds + " s", start);
            }
            return result(ActionStatus.SUCCEEDED, message, start);
        } catch (TimeoutException e) {
            return result(ActionStatus.TIMED_OUT, e.getMessage(), start);
        } catch (SQLException e) {
            return result(ActionStatus.FAILED, e.getMessage(), start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result(ActionStatus.FAILED, "interrupted", start);
        }
    }

    private ActionResult result(ActionStatus status, String output, long start) {
        return new ActionResult(ActionKind.PROMOTE, description(), status, OptionalInt.empty(), output,
                Duration.ofNanos(System.nanoTime() - start));
    }
}
