package io.pgwarden.server.runtime;

import io.pgwarden.admin.AdminServer;
import io.pgwarden.admin.metrics.PgwardenMetrics;
import io.pgwarden.admin.port.AdminPorts;
import io.pgwarden.admin.port.ClusterOperations;
import io.pgwarden.admin.port.Reloader;
import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.health.ClusterMonitor;
import io.pgwarden.health.failover.SessionTerminator;
import io.pgwarden.health.failover.TrafficGate;
import io.pgwarden.health.topology.TopologySource;
import io.pgwarden.proxy.listener.ProxyServer;
import io.pgwarden.health.event.Reason;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running pgwarden: the cluster monitor (probes and failover), the proxy listeners, and the
 * wiring between them. {@code pgwarden run}, the demo and end-to-end tests all start this.
 */
public final class PgwardenRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PgwardenRuntime.class);

    private final PgwardenSettings settings;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private ClusterMonitor monitor;
    private ProxyServer proxy;
    private AdminServer admin;

    public PgwardenRuntime(PgwardenSettings settings) {
        this.settings = settings.requireRunnable();
    }

    /**
     * Starts monitoring, then the listeners. On failure everything already started is closed
     * again and the exception propagates.
     */
    public synchronized PgwardenRuntime start() throws IOException {
        try {
            ProxyHooks hooks = new ProxyHooks();
            monitor = ClusterMonitor.create(settings, hooks, hooks);
            started.push(monitor);
            RoutingTopology routing = new RoutingTopology();
            started.push(monitor.topology().subscribe(routing)::close);
            monitor.start();

            proxy = new ProxyServer(settings, routing);
            started.push(proxy);
            proxy.start();
            hooks.attach(proxy);

            if (settings.admin().enabled()) {
                startAdmin();
            }
            log.info("pgwarden is serving: {}", settings.summary());
            return this;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void startAdmin() throws IOException {
        ClusterOperations cluster = ClusterOperations.of(monitor, () -> settings.failover().mode());
        AdminPorts ports = ProxyAdminPorts.of(proxy, Reloader.NONE);
        PgwardenMetrics metrics = PgwardenMetrics.create(cluster, ports.stats());
        started.push(metrics);
        metrics.bindEventLoops(proxy.ioEventLoops());
        started.push(proxy.statistics().onFirstRouteAfterFailover(
                route -> metrics.recordFirstRoute(route.node(), route.routedAt())));
        admin = new AdminServer(settings.admin(), cluster, ports, metrics);
        started.push(admin);
        admin.start();
    }

    /** The admin API, when {@code pgwarden.admin.enabled}. */
    public Optional<AdminServer> admin() {
        return Optional.ofNullable(admin);
    }

    public ClusterMonitor monitor() {
        return monitor;
    }

    public TopologySource topology() {
        return monitor.topology();
    }

    public ProxyServer proxy() {
        return proxy;
    }

    public PgwardenSettings settings() {
        return settings;
    }

    /** Stops the listeners first (sessions end with 57P01), then monitoring. Idempotent. */
    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            AutoCloseable resource = started.pop();
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("while stopping {}: {}", resource, e.toString());
            }
        }
    }

    /**
     * The proxy as the coordinator sees it: it ends sessions on fenced nodes and holds traffic
     * during a switchover. The monitor is created before the proxy, so the proxy is attached
     * later; until then there are no sessions to end or hold.
     */
    private static final class ProxyHooks implements SessionTerminator, TrafficGate {
        private volatile ProxyServer proxy;

        void attach(ProxyServer proxy) {
            this.proxy = proxy;
        }

        @Override
        public void terminateSessions(String node, Reason reason) {
            ProxyServer target = proxy;
            if (target != null) {
                int ended = target.terminateSessions(node, "terminating connection: pgwarden " + describe(reason)
                        + " of node " + node);
                log.info("ended {} session(s) on {} ({})", ended, node, reason);
            }
        }

        @Override
        public void pause() {
            ProxyServer target = proxy;
            if (target != null) {
                target.pause();
            }
        }

        @Override
        public boolean awaitIdle(Duration timeout) throws InterruptedException {
            ProxyServer target = proxy;
            return target == null || target.awaitIdle(timeout);
        }

        @Override
        public void resume() {
            ProxyServer target = proxy;
            if (target != null) {
                target.resume();
            }
        }

        private static String describe(Reason reason) {
            return switch (reason) {
                case SWITCHOVER -> "switchover";
                default -> "failover (" + reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")";
            };
        }
    }
}
