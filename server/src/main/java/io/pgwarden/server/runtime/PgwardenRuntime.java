package io.pgwarden.server.runtime;

import io.pgwarden.admin.AdminServer;
import io.pgwarden.admin.metrics.PgwardenMetrics;
import io.pgwarden.admin.port.AdminPorts;
import io.pgwarden.admin.port.ClusterOperations;
import io.pgwarden.admin.port.Reloader;
import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.config.SettingsLoader;
import io.pgwarden.health.ClusterMonitor;
import io.pgwarden.health.failover.SessionTerminator;
import io.pgwarden.health.failover.TrafficGate;
import io.pgwarden.health.topology.TopologySource;
import io.pgwarden.proxy.listener.ProxyServer;
import io.pgwarden.health.event.Reason;
import io.pgwarden.server.reload.ConfigReloader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running pgwarden: the cluster monitor (probes and failover), the proxy listeners, and the
 * wiring between them. {@code pgwarden run}, the demo and end-to-end tests all start this.
 */
public final class PgwardenRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PgwardenRuntime.class);

    private final PgwardenSettings settings;
    private final Path configFile;
    private final SettingsLoader loader;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private ClusterMonitor monitor;
    private ProxyServer proxy;
    private AdminServer admin;
    private volatile ConfigReloader reloader;

    /** A runtime that cannot reload: it was not started from a file. */
    public PgwardenRuntime(PgwardenSettings settings) {
        this(settings, null, null);
    }

    /**
     * A runtime that reloads {@code configFile} on request ({@link #reloader()}, admin API, SIGHUP).
     *
     * @param settings what {@code loader} read from {@code configFile} at start
     * @param loader reads the file again, with the environment it was first read with
     */
    public PgwardenRuntime(PgwardenSettings settings, Path configFile, SettingsLoader loader) {
        this.settings = settings.requireRunnable();
        this.configFile = configFile;
        this.loader = loader;
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
            if (configFile != null) {
                reloader = new ConfigReloader(configFile, loader, settings, monitor, proxy);
            }

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
        ClusterOperations cluster = ClusterOperations.of(monitor, () -> monitor.failoverSettings().mode());
        AdminPorts ports = ProxyAdminPorts.of(proxy, reloader());
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

    /** The settings in force: those started with, and what reloads changed live since. */
    public PgwardenSettings settings() {
        ConfigReloader current = reloader;
        return current == null ? settings : current.inEffect();
    }

    /** Reloads the configuration file; {@link Reloader#NONE} when not started from one (or not started). */
    public Reloader reloader() {
        ConfigReloader current = reloader;
        return current == null ? Reloader.NONE : current;
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
        public void pause(Set<String> nodes) {
            ProxyServer target = proxy;
            if (target != null) {
                target.pause(nodes);
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
                case CONFIGURATION_RELOADED -> "configuration reload";
                default -> "failover (" + reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")";
            };
        }
    }
}
