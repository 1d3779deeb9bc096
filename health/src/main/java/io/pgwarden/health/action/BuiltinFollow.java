package io.pgwarden.health.action;

import io.pgwarden.config.BackendSettings;
import io.pgwarden.health.probe.MonitorConnector;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.TimeoutException;

/**
 * Points a standby at the new primary: reads its {@code primary_conninfo}, replaces host and port
 * (dropping {@code hostaddr}), keeps every other keyword, writes it back with {@code ALTER SYSTEM}
 * and reloads. Since PostgreSQL 13 the reload restarts the WAL receiver on the new connection
 * string, and with {@code recovery_target_timeline = 'latest'} (the default) the standby follows
 * the new timeline. A standby that has replayed past the promotion point cannot follow; it needs
 * {@code pg_rewind} (the rejoin action).
 *
 * <p>A standby with an empty {@code primary_conninfo} gets {@code host}, {@code port}, the monitor
 * user and {@code application_name} = node name; its password must come from a password file.
 */
final class BuiltinFollow implements FailoverAction {

    private final MonitorConnector connector;
    private final Duration timeout;

    BuiltinFollow(MonitorConnector connector, Duration timeout) {
        this.connector = Objects.requireNonNull(connector, "connector");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public String description() {
        return "built-in follow (ALTER SYSTEM SET primary_conninfo, pg_reload_conf())";
    }

    @Override
    public boolean needsReachableNode() {
        return true;
    }

    @Override
    public ActionResult run(ActionRequest request) {
        BackendSettings node = request.node().orElseThrow(() -> new IllegalArgumentException("follow needs a node"));
        BackendSettings primary = request.newPrimary()
                .orElseThrow(() -> new IllegalArgumentException("follow needs a new primary"));
        long start = System.nanoTime();
        try {
            String written = connector.call(node, timeout, connection -> {
                String current;
                try (Statement statement = connection.createStatement();
                        ResultSet row = statement.executeQuery("SELECT current_setting('primary_conninfo')")) {
                    row.next();
                    current = row.getString(1);
                }
                Conninfo conninfo;
                try {
                    conninfo = current == null || current.isBlank()
                            ? Conninfo.empty().with("user", connector.user()).with("application_name", node.name())
                            : Conninfo.parse(current);
                } catch (IllegalArgumentException e) {
                    throw new SQLException("cannot rewrite primary_conninfo of " + node.name() + ": " + e.getMessage());
                }
                Conninfo next = conninfo.without("hostaddr")
                        .with("host", primary.host())
                        .with("port", Integer.toString(primary.port()));
                try (Statement statement = connection.createStatement()) {
                    statement.execute("ALTER SYSTEM SET primary_conninfo = " + SqlLiteral.of(next.format()));
                    statement.execute("SELECT pg_reload_conf()");
                }
                return next.formatRedacted();
            });
            return result(ActionStatus.SUCCEEDED, "primary_conninfo = " + written, start);
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
        return new ActionResult(ActionKind.FOLLOW, description(), status, OptionalInt.empty(), output,
                Duration.ofNanos(System.nanoTime() - start));
    }
}
