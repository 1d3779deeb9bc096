package io.pgwarden.server.cli;

import io.pgwarden.admin.api.view.ClusterView;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;

/** {@code pgwarden status}: the cluster as the running pgwarden sees it, like {@code pg_autoctl show state}. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows every backend with its role, health, fencing, WAL position and lag, the elected primary"
                + " and the epoch (GET /api/v1/cluster).")
public final class StatusCommand extends AdminCommand {

    @Override
    void run(AdminClient admin, PrintWriter out) throws AdminCallFailed {
        print(admin.get("/api/v1/cluster", ClusterView.class), out);
    }

    static void print(ClusterView cluster, PrintWriter out) {
        out.println("epoch " + cluster.epoch() + ", primary " + (cluster.primary() == null ? "none elected"
                : cluster.primary() + (cluster.primary().equals(cluster.routablePrimary()) ? "" : " (not routable)"))
                + ", failover mode " + cluster.failoverMode() + ", traffic " + (cluster.paused() ? "paused" : "running"));
        if (cluster.operation() != null) {
            out.println(cluster.operation().kind() + " in progress since " + cluster.operation().since() + " ("
                    + cluster.operation().requestedBy() + ")");
        }
        if (cluster.roguePrimaries() != null && !cluster.roguePrimaries().isEmpty()) {
            out.println("rogue primaries (writable, not elected, never routed to): "
                    + String.join(", ", cluster.roguePrimaries()));
        }
        out.println();
        Table table = new Table("NODE", "ADDRESS", "ROLE", "HEALTH", "STATE", "TL", "LSN", "LAG", "SESSIONS");
        for (ClusterView.NodeView node : cluster.nodes()) {
            table.row(node.name(), address(node), node.role(), node.health(), state(node),
                    node.timeline() == null ? null : String.valueOf(node.timeline()), lsn(node), lag(node),
                    String.valueOf(node.sessions()));
        }
        table.print(out);
        for (ClusterView.NodeView node : cluster.nodes()) {
            if (node.lastError() != null) {
                out.println(node.name() + ": " + node.lastError());
            }
        }
    }

    private static String address(ClusterView.NodeView node) {
        return (node.host().contains(":") ? "[" + node.host() + "]" : node.host()) + ":" + node.port();
    }

    private static String state(ClusterView.NodeView node) {
        List<String> state = new ArrayList<>();
        if (node.electedPrimary()) {
            state.add("elected");
        }
        if (node.fenced()) {
            state.add("fenced");
        }
        if (node.draining()) {
            state.add("draining");
        }
        return String.join(",", state);
    }

    /** A primary's current position, a standby's replayed (else received) one. */
    private static String lsn(ClusterView.NodeView node) {
        if (node.currentLsn() != null) {
            return node.currentLsn();
        }
        return node.replayLsn() != null ? node.replayLsn() : node.receiveLsn();
    }

    private static String lag(ClusterView.NodeView node) {
        if (node.lagBytes() == null && node.lagSeconds() == null) {
            return null;
        }
        String bytes = node.lagBytes() == null ? "?" : bytes(node.lagBytes());
        String seconds = node.lagSeconds() == null ? "?" : String.format(Locale.ROOT, "%.1fs", node.lagSeconds());
        return bytes + "/" + seconds;
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + "B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1fkB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1fMB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.1fGB", bytes / (1024.0 * 1024 * 1024));
    }
}
