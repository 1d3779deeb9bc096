package io.pgwarden.admin.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import io.pgwarden.admin.port.ClusterOperations;
import io.pgwarden.admin.port.ProxyStats;
import io.pgwarden.health.event.EventLog;
import io.pgwarden.health.topology.TopologySource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Every meter of the process in one Prometheus registry: the pgwarden meters of
 * {@link PgwardenMeters} (cluster, failovers, proxy), the JVM and process meters of Micrometer's
 * binders, and Netty's pooled allocator and event loops. {@code GET /metrics} serves
 * {@link #scrape()}.
 */
public final class PgwardenMetrics implements AutoCloseable {

    /** Content type of {@link #scrape()}: the Prometheus text format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final ClusterMeterBinder cluster;
    private final FailoverMeterBinder failovers;
    private final ProxyMeterBinder proxy;
    private final JvmGcMetrics gc;
    private final List<Iterable<? extends EventExecutor>> boundEventLoops = new ArrayList<>();

    /** A new registry with every meter bound. */
    public static PgwardenMetrics create(ClusterOperations cluster, ProxyStats proxy) {
        return new PgwardenMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), cluster.topology(),
                cluster.events(), proxy);
    }

    /** Binds every meter to {@code registry} (tests configure it to throw on a failed registration). */
    public PgwardenMetrics(PrometheusMeterRegistry registry, TopologySource topology, EventLog events, ProxyStats proxy) {
        this.registry = Objects.requireNonNull(registry, "registry");
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT).bindTo(registry);
        this.cluster = new ClusterMeterBinder(topology, events);
        this.cluster.bindTo(registry);
        this.failovers = new FailoverMeterBinder(events);
        this.failovers.bindTo(registry);
        this.proxy = new ProxyMeterBinder(proxy);
        this.proxy.bindTo(registry);
    }

    /**
     * Adds the pending-task gauges of an event loop group (the admin server's, the proxy's). Each
     * group once.
     */
    public synchronized void bindEventLoops(Iterable<? extends EventExecutor> group) {
        for (Iterable<? extends EventExecutor> bound : boundEventLoops) {
            if (bound == group) {
                return;
            }
        }
        boundEventLoops.add(group);
        List<EventExecutor> executors = new ArrayList<>();
        group.forEach(executors::add);
        new NettyEventExecutorMetrics(executors).bindTo(registry);
    }

    /**
     * The proxy routed a session to the primary {@code node} at {@code routedAt}; see
     * {@link FailoverMeterBinder#recordFirstRoute(String, Instant)}.
     */
    public void recordFirstRoute(String node, Instant routedAt) {
        failovers.recordFirstRoute(node, routedAt);
    }

    /** Every meter in the Prometheus text format, with meters for label values the proxy met since the last scrape. */
    public String scrape() {
        proxy.refresh();
        return registry.scrape();
    }

    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        cluster.close();
        failovers.close();
        gc.close();
        registry.close();
    }
}
