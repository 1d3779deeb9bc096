package io.pgwarden.admin.port;

import java.util.Objects;

/**
 * What the admin API needs from the rest of the process besides the cluster monitor: the
 * server adapts the proxy (and its own reload) to these.
 *
 * @param stats the proxy's counters, for {@code /metrics} and the session counts of {@code /cluster}
 * @param sessions client sessions, for {@code /sessions}
 * @param drain per-node drain, for {@code /nodes/{name}/drain}
 * @param traffic operator pause, for {@code /pause} and {@code /resume}
 * @param readiness the proxy's half of {@code /readyz}
 * @param reloader for {@code /reload}
 */
public record AdminPorts(
        ProxyStats stats,
        SessionDirectory sessions, NodeDrain drain, TrafficControl traffic, Readiness readiness, Reloader reloader) {

    /** No proxy and no reload: for a process that only monitors, and for tests. */
    public static final AdminPorts NONE = new AdminPorts(
            ProxyStats.NONE, SessionDirectory.NONE, NodeDrain.NONE, TrafficControl.NONE, Readiness.NONE, Reloader.NONE);

    public AdminPorts {
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(drain, "drain");
        Objects.requireNonNull(traffic, "traffic");
        Objects.requireNonNull(readiness, "readiness");
        Objects.requireNonNull(reloader, "reloader");
    }
}
