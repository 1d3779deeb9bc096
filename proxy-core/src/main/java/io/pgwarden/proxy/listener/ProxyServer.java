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
import io.pgwarden.config.LimitSettings;
import io.pgwarden.config.ListenerSettings;
import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.proxy.cancel.CancelForwarder;
import io.pgwarden.proxy.cancel.CancelKeyRegistry;
import io.pgwarden.proxy.routing.BackendRouter;
import io.pgwarden.proxy.routing.DrainedNodes;
import io.pgwarden.proxy.routing.NodeLoad;
import io.pgwarden.proxy.session.BackendTls;
import io.pgwarden.proxy.session.ClientChannelInitializer;
import io.pgwarden.proxy.session.CurrentLimits;
import io.pgwarden.proxy.session.FlowControl;
import io.pgwarden.proxy.session.ProxyStatistics;
import io.pgwarden.proxy.session.SessionGate;
import io.pgwarden.proxy.session.SessionInfo;
import io.pgwarden.proxy.session.SessionRegistry;
import io.pgwarden.proxy.session.SessionServices;
import io.pgwarden.proxy.topology.BackendAddressResolver;
import io.pgwarden.proxy.topology.TopologySource;
import io.pgwarden.proxy.topology.TopologySubscription;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
    private final SessionGate gate = new SessionGate(sessions);
    private final DrainedNodes drained = new DrainedNodes();
    private final ProxyStatistics statistics;
    private final CancelKeyRegistry cancelKeys = new CancelKeyRegistry();
    private final NodeLoad load = new NodeLoad();
    private final BackendAddressResolver resolver = new BackendAddressResolver();
    private final ConnectionLimiter connections;
    private final CurrentLimits limits;
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
        this.limits = new CurrentLimits(settings.limits());
        this.connections = new ConnectionLimiter(settings.limits().maxClientConnections());
        this.statistics = new ProxyStatistics(
                settings.listeners().stream().map(ListenerSettings::name).toList(), sessions);
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
        subscription = sessions.follow(topology, statistics);
        for (ListenerSettings listener : settings.listeners()) {
            BackendRouter router = new BackendRouter(listener, load, drained);
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
                limits,
                topology,
                sessions,
                gate,
                statistics,
                cancelKeys,
                new CancelForwarder(transport.channelClass(), () -> limits.get().backendConnectTimeout(), resolver),
                connections,
                load,
                transport,
                clientTls.mode(),
                clientContext,
                backendTls,
                resolver,
                Clock.systemUTC());
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

    /** The event loops that carry client and backend channels (for event-loop metrics); null before start. */
    public synchronized EventLoopGroup ioEventLoops() {
        return ioGroup;
    }

    public Transport transport() {
        return transport;
    }

    /** The limits sessions accepted now take. */
    public LimitSettings limits() {
        return limits.get();
    }

    /**
     * Changes the limits (a reload): {@code max-client-connections} counts from the next
     * connection; the others apply to sessions accepted from now on, while open sessions keep
     * those they started with.
     */
    public void updateLimits(LimitSettings next) {
        connections.maxConnections(next.maxClientConnections());
        limits.set(next);
    }

    /** Open client connections, counted against {@code limits.max-client-connections}. */
    public int clientConnections() {
        return connections.open();
    }

    /** The open client sessions, by id. */
    public List<SessionInfo> sessions() {
        return sessions.list();
    }

    /** The open session with this id. */
    public Optional<SessionInfo> session(long id) {
        return sessions.find(id);
    }

    /**
     * Ends one session with FATAL 57P01 and {@code message}. Returns at once; the session ends
     * on its event loop.
     *
     * @return whether a session with that id was open
     */
    public boolean terminateSession(long id, String message) {
        return sessions.terminateSession(id, message);
    }

    /**
     * Ends every session bound to {@code node} (connecting, authenticating or forwarding) with
     * FATAL 57P01 and {@code message}. Returns at once; the sessions end on their event loops.
     * Sessions routed to the node after the call are not concerned: stop routing to it first,
     * through the topology or {@link #drain}.
     *
     * @return the sessions bound to the node at the time of the call
     */
    public int terminateSessions(String node, String message) {
        return sessions.terminateSessions(node, message);
    }

    /**
     * Holds new transactions: sessions between transactions keep their next request back, those
     * inside one are held once it ends, new sessions wait before connecting (within
     * {@code limits.hold-timeout}). See {@link SessionGate}. Idempotent.
     */
    public void pause() {
        gate.pause();
    }

    /**
     * Holds new transactions of the sessions on {@code nodes}, and new sessions that need the
     * primary or would be routed to one of those nodes; sessions elsewhere go on, and
     * {@link #awaitIdle} waits for the held nodes' sessions only. A planned switchover pauses the
     * old primary and its candidate this way. Idempotent; {@link #resume()} ends it.
     */
    public void pause(Set<String> nodes) {
        gate.pause(nodes);
    }

    /**
     * Waits until no session the pause covers has a transaction open or a request in flight:
     * each is idle, held, or not yet forwarding. Call after {@link #pause()}.
     *
     * @return true once that holds, false if it did not within {@code timeout}
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return gate.awaitIdle(timeout);
    }

    /**
     * Lets traffic go on: held new sessions are routed by the current topology, held requests
     * go to their sessions' backends. Idempotent.
     */
    public void resume() {
        gate.resume();
    }

    /** Whether traffic is paused. */
    public boolean paused() {
        return gate.paused();
    }

    /**
     * Routes no new session to {@code node}; sessions already there go on until their clients
     * end them. Any name is accepted, known or not.
     *
     * @return whether the node was not drained before
     */
    public boolean drain(String node) {
        boolean changed = drained.drain(node);
        if (changed) {
            log.info("node {} drained: no new sessions are routed to it", node);
        }
        return changed;
    }

    /**
     * Routes new sessions to {@code node} again; held sessions that may go there are routed.
     *
     * @return whether the node was drained before
     */
    public boolean undrain(String node) {
        boolean changed = drained.undrain(node);
        if (changed) {
            log.info("node {} no longer drained", node);
            sessions.routingChanged();
        }
        return changed;
    }

    /** The names of the drained nodes. */
    public Set<String> drainedNodes() {
        return drained.names();
    }

    /** What the proxy counts, for metrics. */
    public ProxyStatistics statistics() {
        return statistics;
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
        resolver.close();
        log.debug("pgwarden proxy stopped");
    }

    private static String address(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
