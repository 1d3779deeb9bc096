package io.pgwarden.proxy.listener;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.pgwarden.config.ClientTlsSettings;
import io.pgwarden.config.ListenerSettings;
import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.proxy.cancel.CancelForwarder;
import io.pgwarden.proxy.cancel.CancelKeyRegistry;
import io.pgwarden.proxy.routing.BackendRouter;
import io.pgwarden.proxy.routing.NodeLoad;
import io.pgwarden.proxy.session.BackendTls;
import io.pgwarden.proxy.session.ClientChannelInitializer;
import io.pgwarden.proxy.session.FlowControl;
import io.pgwarden.proxy.session.SessionInfo;
import io.pgwarden.proxy.session.SessionRegistry;
import io.pgwarden.proxy.session.SessionServices;
import io.pgwarden.proxy.topology.TopologySource;
import io.pgwarden.proxy.topology.TopologySubscription;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy: one server socket per configured listener, client sessions routed by the
 * topology. Construct, {@link #start()}, and {@link #close()} when done.
 *
 * <p>A listener configured with port 0 binds an ephemeral port; {@link #port(String)} tells
 * which.
 */
public final class ProxyServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

    private static final String[] CLIENT_TLS_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final PgwardenSettings settings;
    private final TopologySource topology;
    private final Transport transport;
    private final int ioThreads;
    private final SessionRegistry sessions = new SessionRegistry();
    private final CancelKeyRegistry cancelKeys = new CancelKeyRegistry();
    private final NodeLoad load = new NodeLoad();
    private final ConnectionLimiter connections;
    private final Map<String, Channel> serverChannels = new LinkedHashMap<>();

    private EventLoopGroup acceptGroup;
    private EventLoopGroup ioGroup;
    private TopologySubscription subscription;
    private boolean started;
    private boolean closed;

    /** A proxy on the best transport of this machine, with one I/O thread per processor. */
    public ProxyServer(PgwardenSettings settings, TopologySource topology) {
        this(settings, topology, Transport.detect(), Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param transport socket implementation
     * @param ioThreads event loops serving client and backend connections
     */
    public ProxyServer(PgwardenSettings settings, TopologySource topology, Transport transport, int ioThreads) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.topology = Objects.requireNonNull(topology, "topology");
        this.transport = Objects.requireNonNull(transport, "transport");
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be positive, got " + ioThreads);
        }
        this.ioThreads = ioThreads;
        this.connections = new ConnectionLimiter(settings.limits().maxClientConnections());
    }

    /**
     * Binds every listener. On failure nothing stays bound.
     *
     * @throws ProxyStartException naming the listener and address that could not be bound, or
     *     the TLS file that could not be used
     * @throws IllegalStateException if started before
     */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        SessionServices services = services();
        acceptGroup = transport.newEventLoopGroup(1, new DefaultThreadFactory("pgwarden-accept", true));
        ioGroup = transport.newEventLoopGroup(ioThreads, new DefaultThreadFactory("pgwarden-io", true));
        subscription = topology.subscribe(sessions);
        for (ListenerSettings listener : settings.listeners()) {
            BackendRouter router = new BackendRouter(listener, load);
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(acceptGroup, ioGroup)
                    .channel(transport.serverChannelClass())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, FlowControl.WATER_MARK)
                    .childHandler(new ClientChannelInitializer(listener.name(), router, services));
            ChannelFuture bind = bootstrap.bind(listener.host(), listener.port()).awaitUninterruptibly();
            if (!bind.isSuccess()) {
                close();
                throw new ProxyStartException("listener " + listener.name() + " could not bind "
                        + address(listener.host(), listener.port()) + ": " + bind.cause().getMessage(), bind.cause());
            }
            serverChannels.put(listener.name(), bind.channel());
            log.info("listener {} ({}) accepting on {}", listener.name(), listener.route().configName(),
                    bind.channel().localAddress());
        }
        log.debug("pgwarden proxy started on {} with {} I/O threads", transport, ioThreads);
    }

    private SessionServices services() {
        ClientTlsSettings clientTls = settings.tls().client();
        Optional<SslContext> clientContext = Optional.empty();
        if (clientTls.mode().terminatesTls()) {
            try {
                clientContext = Optional.of(SslContextBuilder
                        .forServer(clientTls.certFile().orElseThrow().toFile(), clientTls.keyFile().orElseThrow().toFile())
                        .protocols(CLIENT_TLS_PROTOCOLS)
                        .build());
            } catch (SSLException | IllegalArgumentException e) {
                throw new ProxyStartException("tls.client: cannot use certificate " + clientTls.certFile().orElseThrow()
                        + " and key " + clientTls.keyFile().orElseThrow() + ": " + e.getMessage(), e);
            }
        }
        BackendTls backendTls;
        try {
            backendTls = BackendTls.from(settings.tls().backend());
        } catch (SSLException | IllegalArgumentException e) {
            throw new ProxyStartException("tls.backend: cannot use CA file "
                    + settings.tls().backend().caFile().map(Object::toString).orElse("(none)") + ": " + e.getMessage(), e);
        }
        return new SessionServices(
                settings.limits(),
                topology,
                sessions,
                cancelKeys,
                new CancelForwarder(transport.channelClass(), settings.limits().backendConnectTimeout()),
                connections,
                load,
                transport,
                clientTls.mode(),
                clientContext,
                backendTls);
    }

    /** Where a listener accepts connections. */
    public synchronized InetSocketAddress localAddress(String listenerName) {
        Channel channel = serverChannels.get(listenerName);
        if (channel == null) {
            throw new IllegalArgumentException("no bound listener named " + listenerName);
        }
        return (InetSocketAddress) channel.localAddress();
    }

    /** The port a listener accepts on: the configured one, or the ephemeral port chosen for 0. */
    public int port(String listenerName) {
        return localAddress(listenerName).getPort();
    }

    public Transport transport() {
        return transport;
    }

    /** Open client connections, counted against {@code limits.max-client-connections}. */
    public int clientConnections() {
        return connections.open();
    }

    /** The open client sessions. */
    public List<SessionInfo> sessions() {
        return sessions.list();
    }

    /** Proxy-issued cancel keys in use: one per session past authentication. */
    public int issuedCancelKeys() {
        return cancelKeys.size();
    }

    /**
     * Stops accepting, ends every session with FATAL 57P01 as a server shutdown does, and
     * releases the threads. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (!started || closed) {
            return;
        }
        closed = true;
        for (Channel channel : serverChannels.values()) {
            channel.close().awaitUninterruptibly();
        }
        serverChannels.clear();
        if (subscription != null) {
            subscription.close();
        }
        sessions.terminateAll("terminating connection due to administrator command: pgwarden is shutting down");
        ioGroup.shutdownGracefully(100, 5_000, TimeUnit.MILLISECONDS).awaitUninterruptibly();
        acceptGroup.shutdownGracefully(0, 1_000, TimeUnit.MILLISECONDS).awaitUninterruptibly();
        log.debug("pgwarden proxy stopped");
    }

    private static String address(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
