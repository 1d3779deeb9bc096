package io.pgwarden.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.pgwarden.admin.api.AdminRoutes;
import io.pgwarden.admin.http.AdminChannelInitializer;
import io.pgwarden.admin.http.AdminJson;
import io.pgwarden.admin.http.BearerAuth;
import io.pgwarden.admin.metrics.PgwardenMetrics;
import io.pgwarden.admin.port.AdminPorts;
import io.pgwarden.admin.port.ClusterOperations;
import io.pgwarden.config.AdminSettings;
import io.pgwarden.config.AdminTlsSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener: REST API under {@code /api/v1}, {@code /metrics}, {@code /healthz},
 * {@code /readyz}, on its own address ({@code pgwarden.admin.host}/{@code port}, HTTPS when
 * {@code pgwarden.admin.tls.enabled}) and its own event loop, so that a busy proxy never starves
 * the operator and the other way round.
 *
 * <pre>{@code
 * ClusterOperations cluster = ClusterOperations.of(monitor, () -> settings.failover().mode());
 * PgwardenMetrics metrics = PgwardenMetrics.create(cluster, ports.stats());
 * AdminServer admin = new AdminServer(settings.admin(), cluster, ports, metrics);
 * admin.start();            // binds; port 0 binds an ephemeral port, see address()
 * ...
 * admin.close();           // then metrics.close(): the caller owns the metrics
 * }</pre>
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    private final AdminSettings settings;
    private final ClusterOperations cluster;
    private final AdminPorts ports;
    private final PgwardenMetrics metrics;
    private final Clock clock;
    private EventLoopGroup group;
    private ExecutorService worker;
    private AdminRoutes routes;
    private Channel channel;

    public AdminServer(AdminSettings settings, ClusterOperations cluster, AdminPorts ports, PgwardenMetrics metrics) {
        this(settings, cluster, ports, metrics, Clock.systemUTC());
    }

    public AdminServer(AdminSettings settings, ClusterOperations cluster, AdminPorts ports, PgwardenMetrics metrics,
            Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.ports = Objects.requireNonNull(ports, "ports");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Binds the listener.
     *
     * @return the address bound (the real port when the configured one is 0)
     * @throws IOException when the address cannot be bound or the TLS files cannot be read; nothing
     *     stays open then
     * @throws IllegalStateException when {@code pgwarden.admin.enabled} is false, or started already
     */
    public synchronized InetSocketAddress start() throws IOException {
        if (!settings.enabled()) {
            throw new IllegalStateException("the admin listener is disabled (pgwarden.admin.enabled = false)");
        }
        if (channel != null) {
            throw new IllegalStateException("started already");
        }
        Optional<SslContext> tls = tls(settings.tls());
        ObjectMapper json = AdminJson.strict();
        group = new NioEventLoopGroup(1, new DefaultThreadFactory("pgwarden-admin", true));
        worker = Executors.newFixedThreadPool(2, daemonThreads("pgwarden-admin-worker"));
        routes = new AdminRoutes(cluster, ports, metrics, worker, clock);
        AdminChannelInitializer initializer = new AdminChannelInitializer(tls, routes.router(),
                new BearerAuth(settings.token(), settings.readRequiresToken()), json);
        try {
            channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(initializer)
                    .bind(settings.host(), settings.port())
                    .syncUninterruptibly()
                    .channel();
        } catch (Exception e) { // Netty rethrows the BindException unchecked
            close();
            throw new IOException("cannot bind the admin listener to " + settings.host() + ":" + settings.port()
                    + ": " + e.getMessage(), e);
        }
        metrics.bindEventLoops(group);
        InetSocketAddress bound = address();
        log.info("admin API listening on {}://{}:{}{}", tls.isPresent() ? "https" : "http", bound.getHostString(),
                bound.getPort(), settings.token().isEmpty()
                        ? " (no token configured: mutating endpoints are refused; set pgwarden.admin.token)" : "");
        return bound;
    }

    /** The bound address. */
    public synchronized InetSocketAddress address() {
        if (channel == null) {
            throw new IllegalStateException("not started");
        }
        return (InetSocketAddress) channel.localAddress();
    }

    /** The bound port. */
    public int port() {
        return address().getPort();
    }

    private static Optional<SslContext> tls(AdminTlsSettings tls) throws IOException {
        if (!tls.enabled()) {
            return Optional.empty();
        }
        if (tls.certFile().isEmpty() || tls.keyFile().isEmpty()) {
            throw new IOException("pgwarden.admin.tls is enabled without cert-file and key-file");
        }
        try {
            return Optional.of(SslContextBuilder.forServer(tls.certFile().get().toFile(), tls.keyFile().get().toFile())
                    .build());
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("cannot load the admin TLS certificate " + tls.certFile().get() + " and key "
                    + tls.keyFile().get() + ": " + e.getMessage(), e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Closes the listener and every admin connection; in-flight operations on the cluster go on. */
    @Override
    public synchronized void close() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (worker != null) {
            worker.shutdownNow();
        }
        if (routes != null) {
            routes.close();
        }
        channel = null;
        group = null;
        worker = null;
        routes = null;
    }
}
