package io.pgwarden.server.runtime;

import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.health.ClusterMonitor;
import io.pgwarden.health.failover.SessionTerminator;
import io.pgwarden.health.failover.TrafficGate;
import io.pgwarden.health.topology.TopologySource;
import io.pgwarden.proxy.listener.ProxyServer;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
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
            log.info("pgwarden is serving: {}", settings.summary());
            return this;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
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
        public void terminateSessions(String node, io.pgwarden.health.event.Reason reason) {
            // The proxy already ends sessions on nodes the published topology no longer routes to.
        }

        @Override
        public void pause() {}

        @Override
        public boolean awaitIdle(java.time.Duration timeout) {
            return true;
        }

        @Override
        public void resume() {}
    }
}
