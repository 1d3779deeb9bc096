package io.pgwarden.proxy.session;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.pgwarden.config.ClientTlsMode;
import io.pgwarden.config.LimitSettings;
import io.pgwarden.config.Route;
import io.pgwarden.protocol.BackendMessageDecoder;
import io.pgwarden.protocol.ProtocolException;
import io.pgwarden.protocol.SqlState;
import io.pgwarden.protocol.error.Severity;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.backend.AuthenticationSASL;
import io.pgwarden.protocol.message.backend.BackendKeyData;
import io.pgwarden.protocol.message.backend.ErrorResponse;
import io.pgwarden.protocol.message.backend.GSSENCResponse;
import io.pgwarden.protocol.message.backend.ReadyForQuery;
import io.pgwarden.protocol.message.backend.SSLResponse;
import io.pgwarden.protocol.message.frontend.CancelRequest;
import io.pgwarden.protocol.message.frontend.SSLRequest;
import io.pgwarden.protocol.message.frontend.StartupMessage;
import io.pgwarden.protocol.message.frontend.Terminate;
import io.pgwarden.proxy.cancel.CancelTarget;
import io.pgwarden.proxy.cancel.ProxyCancelKey;
import io.pgwarden.proxy.routing.BackendRouter;
import io.pgwarden.proxy.routing.RouteDecision;
import io.pgwarden.proxy.topology.BackendNode;
import io.pgwarden.proxy.topology.TopologySnapshot;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection and, once chosen, its backend connection: the state machine of
 * ARCHITECTURE.md "Data flow of one client session". Handlers of both pipelines report to it;
 * it decides and switches the pipelines between phases.
 *
 * <p>Everything runs on the client channel's event loop, which the backend channel shares, so
 * no field needs synchronization; the few read by {@link #info()} and the registry from other
 * threads are volatile.
 */
final class ClientSession {

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);
    /** Pause between routing attempts while the chosen server refuses connections. */
    private static final Duration CONNECT_RETRY_INTERVAL = Duration.ofMillis(100);

    /** The session's life as the session itself acts on it; {@link SessionState} is what others see. */
    private enum Phase {
        STARTUP,
        /** Waiting for a backend to route to. */
        HELD,
        CONNECTING,
        AUTHENTICATING,
        FORWARDING,
        CLOSED
    }

    private final long id;
    private final Channel client;
    private final String listenerName;
    private final BackendRouter router;
    private final SessionServices services;
    private final LimitSettings limits;
    private final SessionGate gate;
    private final ListenerCounters counters;
    private final Instant openedAt;

    private volatile SessionState state = SessionState.STARTUP;
    private volatile StartupMessage startup;
    private volatile BackendNode node;
    private volatile String applicationName;

    private Phase phase = Phase.STARTUP;
    private boolean holdsConnectionSlot;
    private boolean boundToNode;
    private boolean tls;
    private ByteBuf earlyClientBytes;
    private Channel backend;
    private ProxyCancelKey cancelKey;
    private ScheduledFuture<?> startupTimer;
    private ScheduledFuture<?> holdTimer;
    /** Next routing attempt after a refused backend connection. */
    private ScheduledFuture<?> retryTimer;
    /** When this session first waited for a backend ({@link System#nanoTime()}); -1 before. */
    private long heldSinceNanos = -1;
    private FrontendRelayHandler frontendRelay;
    private BackendRelayHandler backendRelay;
    private boolean clientTerminating;
    private boolean backendEnding;
    private boolean clientFlushPending;
    private boolean backendClosing;

    ClientSession(Channel client, String listenerName, BackendRouter router, SessionServices services) {
        this.client = client;
        this.listenerName = listenerName;
        this.router = router;
        this.services = services;
        this.limits = services.limits().get();
        this.gate = services.gate();
        this.counters = services.statistics().listenerCounters(listenerName);
        this.id = services.sessions().nextId();
        this.openedAt = services.clock().instant();
    }

    long id() {
        return id;
    }

    /** The limits this session took when it was accepted. */
    LimitSettings limits() {
        return limits;
    }

    String listenerName() {
        return listenerName;
    }

    SessionState state() {
        return state;
    }

    /** The node the session is bound to, once routed. */
    BackendNode node() {
        return node;
    }

    EventLoop eventLoop() {
        return client.eventLoop();
    }

    SessionInfo info() {
        StartupMessage message = startup;
        BackendNode bound = node;
        return new SessionInfo(id, listenerName, client.remoteAddress(),
                message == null ? Optional.empty() : message.user(),
                message == null ? Optional.empty() : Optional.of(database(message)),
                Optional.ofNullable(applicationName),
                bound == null ? Optional.empty() : Optional.of(bound.name()),
                state, openedAt);
    }

    private void enter(Phase next, SessionState shown) {
        phase = next;
        show(shown);
    }

    /** Publishes the state others see; written only on change, as it is volatile. */
    private void show(SessionState shown) {
        if (state != shown) {
            state = shown;
        }
    }

    // ---- startup phase, client side

    void accepted() {
        counters.accepted.increment();
        holdsConnectionSlot = services.connections().tryAcquire();
        services.sessions().add(this);
        client.closeFuture().addListener(closed -> released());
        startupTimer = schedule(this::startupTimedOut, limits.startupTimeout());
        client.read();
    }

    void sslRequested() {
        if (tls || !services.clientTlsMode().terminatesTls()) {
            client.writeAndFlush(SSLResponse.UNWILLING.encode(client.alloc()));
            client.read();
            return;
        }
        // 'S' must leave in the clear: it is written before the TLS handler exists. The decoder
        // has already refused any bytes that came with the SSLRequest.
        client.writeAndFlush(SSLResponse.WILLING.encode(client.alloc()));
        SslHandler handler = services.clientTls().orElseThrow().newHandler(client.alloc());
        client.pipeline().addFirst(ClientChannelInitializer.TLS, handler);
        tls = true;
        client.read();
    }

    void gssEncRequested() {
        client.writeAndFlush(GSSENCResponse.UNWILLING.encode(client.alloc()));
        client.read();
    }

    void cancelRequested(CancelRequest request) {
        enter(Phase.CLOSED, SessionState.CLOSED);
        cancelTimers();
        Optional<CancelTarget> target = services.cancelKeys().lookup(request.processId(), request.secretKey());
        if (target.isEmpty()) {
            // As PostgreSQL does: no answer, so a guesser learns nothing.
            log.debug("cancel request from {} with an unknown key ignored", client.remoteAddress());
            client.close();
            return;
        }
        log.debug("cancel request from {} forwarded to node {}", client.remoteAddress(), target.get().node());
        services.cancelForwarder().forward(target.get(), eventLoop()).addListener(done -> client.close());
    }

    void startupReceived(StartupMessage message) {
        startup = message;
        applicationName = message.parameter("application_name").orElse(null);
        if (!holdsConnectionSlot) {
            reject(RejectReason.CONNECTION_LIMIT, ErrorResponse.of(Severity.FATAL, SqlState.TOO_MANY_CONNECTIONS,
                    "sorry, too many clients already")
                    .withDetail("pgwarden accepts at most " + services.connections().maxConnections()
                            + " client connections (limits.max-client-connections)."));
            return;
        }
        if (services.clientTlsMode() == ClientTlsMode.REQUIRE && !tls) {
            reject(RejectReason.NOT_PERMITTED, ErrorResponse.of(Severity.FATAL,
                    SqlState.INVALID_AUTHORIZATION_SPECIFICATION, "pgwarden requires an SSL connection")
                    .withHint("Connect with sslmode=require or stronger."));
            return;
        }
        if (message.user().isEmpty()) {
            reject(RejectReason.NOT_PERMITTED, ErrorResponse.of(Severity.FATAL,
                    SqlState.INVALID_AUTHORIZATION_SPECIFICATION, "no PostgreSQL user name specified in startup packet"));
            return;
        }
        if (isReplication(message)) {
            // A replication stream through a failover proxy could silently continue from a
            // different server on another timeline; replication clients connect directly.
            reject(RejectReason.NOT_PERMITTED, ErrorResponse.of(Severity.FATAL, SqlState.FEATURE_NOT_SUPPORTED,
                    "replication connections are not supported by pgwarden")
                    .withHint("Connect replication clients to the PostgreSQL server directly."));
            return;
        }
        route();
    }

    void earlyClientBytes(ByteBuf bytes) {
        if (phase == Phase.CLOSED) {
            bytes.release();
            return;
        }
        if (earlyClientBytes == null) {
            earlyClientBytes = bytes;
        } else {
            earlyClientBytes = Unpooled.wrappedBuffer(earlyClientBytes, bytes);
        }
        if (earlyClientBytes.readableBytes() > limits.maxMessageSize()) {
            reject(RejectReason.PROTOCOL_VIOLATION, ErrorResponse.of(Severity.FATAL, SqlState.PROTOCOL_VIOLATION,
                    "too much data sent before authentication"));
        }
    }

    // ---- routing and holding

    private void route() {
        TopologySnapshot topology = services.topology().current();
        // While traffic is paused no session starts that needs the primary, which is about to
        // change, nor one on a node the pause covers.
        Optional<RouteDecision> decision = heldByPause() ? Optional.empty()
                : router.select(topology).filter(choice -> !gate.holds(choice.node().name()));
        if (decision.isPresent()) {
            connect(decision.get(), topology);
            return;
        }
        hold();
    }

    /** A new session of a paused listener waits: every route when all is paused, else the primary's. */
    private boolean heldByPause() {
        return gate.pausesEverything() || (gate.paused() && router.listener().route() == Route.PRIMARY);
    }

    /**
     * Waits for a backend: until the topology offers one (or, after a refused connection, until
     * the next retry), at most {@code limits.hold-timeout} counted from the first wait.
     */
    private void hold() {
        Duration hold = limits.holdTimeout();
        long now = System.nanoTime();
        if (heldSinceNanos < 0) {
            heldSinceNanos = now;
        }
        long remaining = hold.toNanos() - (now - heldSinceNanos);
        if (remaining <= 0) {
            reject(RejectReason.HOLD_TIMEOUT, noBackendError(hold));
            return;
        }
        if (phase != Phase.HELD) {
            enter(Phase.HELD, SessionState.HELD);
            // The wait is the proxy's, not the client's: the startup deadline restarts after it.
            cancel(startupTimer);
            startupTimer = null;
            log.debug("session of {} held: {} (epoch {})", describeClient(),
                    gate.paused() ? "traffic is paused" : "no " + wanted() + " eligible",
                    services.topology().current().epoch());
        }
        if (holdTimer == null) {
            holdTimer = schedule(() -> holdTimedOut(hold), Duration.ofNanos(remaining));
        }
        gate.sessionSettled();
    }

    void topologyChanged() {
        switch (phase) {
            case HELD -> route();
            case CONNECTING, AUTHENTICATING, FORWARDING -> {
                TopologySnapshot topology = services.topology().current();
                if (!router.eligible(node, topology)) {
                    terminate(failoverMessage(topology));
                }
            }
            default -> {
                // Not bound to a node yet, or already ending.
            }
        }
    }

    /** A node stopped draining: a held session may have somewhere to go now. */
    void retryRouting() {
        if (phase == Phase.HELD) {
            route();
        }
    }

    /** Traffic resumed: held sessions go on. */
    void gateOpened() {
        if (phase == Phase.HELD) {
            route();
        } else if (phase == Phase.FORWARDING && frontendRelay.holding()) {
            frontendRelay.releaseHeld();
        }
    }

    private void holdTimedOut(Duration hold) {
        holdTimer = null;
        if (phase == Phase.HELD) {
            log.warn("session of {} refused: {} {}", describeClient(),
                    gate.paused() ? "traffic stayed paused for" : "no " + wanted() + " became available within",
                    describe(hold));
            reject(RejectReason.HOLD_TIMEOUT, noBackendError(hold));
        }
    }

    private ErrorResponse noBackendError(Duration hold) {
        String waited = hold.isZero() ? "" : " after waiting " + describe(hold);
        String message;
        if (gate.paused()) {
            message = "no new session is routed while traffic is paused" + waited + ": switchover in progress";
        } else {
            message = "no " + wanted() + " is available" + waited
                    + (router.listener().route() == Route.PRIMARY ? ": failover in progress" : "");
        }
        return ErrorResponse.of(Severity.FATAL, SqlState.CANNOT_CONNECT_NOW, message)
                .withHint("Retry the connection; pgwarden routes it as soon as a server is eligible.");
    }

    private String wanted() {
        return router.listener().route() == Route.PRIMARY ? "primary server" : "standby server";
    }

    private String failoverMessage(TopologySnapshot topology) {
        String reason;
        if (router.listener().route() == Route.PRIMARY) {
            reason = topology.primary()
                    .map(primary -> "node " + node.name() + " is no longer the primary, " + primary.name() + " is")
                    .orElse("node " + node.name() + " is no longer the primary, a new one is being elected");
        } else {
            reason = "node " + node.name() + " is no longer an eligible standby";
        }
        return "terminating connection: failover: " + reason + " (epoch " + topology.epoch() + ")";
    }

    // ---- backend connection

    private void connect(RouteDecision decision, TopologySnapshot topology) {
        cancel(holdTimer);
        holdTimer = null;
        cancel(retryTimer);
        retryTimer = null;
        if (startupTimer == null) {
            startupTimer = schedule(this::startupTimedOut, limits.startupTimeout());
        }
        enter(Phase.CONNECTING, SessionState.CONNECTING);
        node = decision.node();
        services.load().bound(node);
        boundToNode = true;
        services.statistics().routed(node, topology.isPrimary(node) ? NodeRole.PRIMARY : NodeRole.STANDBY);
        Future<InetSocketAddress> address = services.resolver().resolve(node, client.eventLoop());
        if (address.isDone()) {
            backendResolved(address);
        } else {
            address.addListener(resolved -> backendResolved(address));
        }
    }

    private void backendResolved(Future<InetSocketAddress> address) {
        if (phase != Phase.CONNECTING) {
            return;
        }
        if (!address.isSuccess()) {
            log.warn("could not resolve the address of node {} for {}: {}", node, describeClient(),
                    address.cause().toString());
            reject(RejectReason.BACKEND_UNREACHABLE, ErrorResponse.of(Severity.FATAL,
                    SqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION, "could not resolve server " + node.name()));
            return;
        }
        Bootstrap bootstrap = new Bootstrap()
                .group(client.eventLoop())
                .channel(services.transport().channelClass())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, FlowControl.WATER_MARK)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(Integer.MAX_VALUE, limits.backendConnectTimeout().toMillis()))
                .handler(new BackendChannelInitializer(this));
        ChannelFuture connect = bootstrap.connect(address.getNow());
        backend = connect.channel();
        connect.addListener((ChannelFutureListener) this::backendConnected);
    }

    private void backendConnected(ChannelFuture connect) {
        if (phase != Phase.CONNECTING) {
            connect.channel().close();
            return;
        }
        if (!connect.isSuccess()) {
            backendUnreachable(connect.cause());
            return;
        }
        if (services.backendTls().requested()) {
            backend.pipeline().get(BackendMessageDecoder.class).expectSSLResponse();
            backend.writeAndFlush(SSLRequest.INSTANCE.encode(backend.alloc()));
            backend.read();
            return;
        }
        startAuthentication();
    }

    /**
     * The chosen server refused or did not answer the connection. Nothing was sent to it yet, so
     * the session waits and routes again: a primary that has just died is usually replaced
     * within the hold timeout, and the client should see a slow connect, not an error.
     */
    private void backendUnreachable(Throwable cause) {
        BackendNode unreachable = node;
        services.load().unbound(node);
        boundToNode = false;
        backend = null;
        if (limits.holdTimeout().isZero()) {
            log.warn("could not connect to node {} for {}: {}", unreachable, describeClient(), cause.toString());
            reject(RejectReason.BACKEND_UNREACHABLE, ErrorResponse.of(Severity.FATAL,
                    SqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
                    "could not connect to server " + unreachable.name()));
            return;
        }
        log.debug("could not connect to node {} for {}, routing again: {}", unreachable, describeClient(),
                cause.toString());
        hold();
        if (phase == Phase.HELD) {
            retryTimer = schedule(() -> {
                retryTimer = null;
                if (phase == Phase.HELD) {
                    route();
                }
            }, CONNECT_RETRY_INTERVAL);
        }
    }

    void backendSslResponse(SSLResponse response) {
        if (phase != Phase.CONNECTING) {
            return;
        }
        if (response == SSLResponse.UNWILLING) {
            if (services.backendTls().required()) {
                log.warn("node {} refused TLS, which tls.backend.mode {} requires", node,
                        services.backendTls().mode().configName());
                reject(RejectReason.BACKEND_UNREACHABLE, ErrorResponse.of(Severity.FATAL,
                        SqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
                        "server " + node.name() + " does not support SSL, but pgwarden requires it"));
            } else {
                startAuthentication();
            }
            return;
        }
        SslHandler handler = services.backendTls().newHandler(backend.alloc(), node);
        backend.pipeline().addFirst(BackendChannelInitializer.TLS, handler);
        handler.handshakeFuture().addListener(handshake -> {
            if (handshake.isSuccess()) {
                startAuthentication();
            } else if (phase == Phase.CONNECTING) {
                log.warn("TLS handshake with node {} failed: {}", node, handshake.cause().toString());
                reject(RejectReason.BACKEND_UNREACHABLE, ErrorResponse.of(Severity.FATAL,
                        SqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
                        "could not establish SSL with server " + node.name()));
            }
        });
        backend.read();
    }

    private void startAuthentication() {
        if (phase != Phase.CONNECTING) {
            return;
        }
        enter(Phase.AUTHENTICATING, SessionState.AUTHENTICATING);
        backend.writeAndFlush(startup.encode(backend.alloc()));
        frontendRelay = new FrontendRelayHandler(this, client, backend, limits.maxMessageSize(),
                counters.bytesFromClients);
        client.pipeline().replace(ClientChannelInitializer.STARTUP, ClientChannelInitializer.FRONTEND_RELAY, frontendRelay);
        if (earlyClientBytes != null) {
            ByteBuf early = earlyClientBytes;
            earlyClientBytes = null;
            frontendRelay.relay(early);
            backend.flush();
        }
        backend.read();
        client.read();
    }

    // ---- authentication, backend side

    /**
     * Channel binding cannot survive the hop: the client would bind to the proxy's TLS
     * connection, the server to its own. So {@code -PLUS} mechanisms are not offered.
     */
    AuthenticationSASL offeredMechanisms(AuthenticationSASL offer) {
        List<String> mechanisms = offer.mechanisms().stream().filter(name -> !name.endsWith("-PLUS")).toList();
        return mechanisms.size() == offer.mechanisms().size() ? offer : new AuthenticationSASL(mechanisms);
    }

    BackendKeyData replaceBackendKeyData(BackendKeyData real) {
        if (cancelKey != null) {
            services.cancelKeys().release(cancelKey);
        }
        cancelKey = services.cancelKeys().issue(new CancelTarget(node, real.processId(), real.secretKey()));
        return BackendKeyData.of(cancelKey.processId(), cancelKey.secretKey());
    }

    /** The server refused the client's credentials or authorization (SQLSTATE class 28). */
    void authenticationFailed() {
        counters.authenticationFailures.increment();
    }

    void relayToClient(BackendMessage message) {
        ByteBuf encoded = message.encode(client.alloc());
        counters.bytesToClients.add(encoded.readableBytes());
        client.write(encoded, client.voidPromise());
        clientFlushPending = true;
    }

    void flushClient() {
        if (clientFlushPending) {
            clientFlushPending = false;
            client.flush();
        }
    }

    void authenticated(ReadyForQuery ready) {
        if (phase != Phase.AUTHENTICATING) {
            flushClient();
            return;
        }
        // Shown before the client can see the ReadyForQuery, so whoever it tells finds it so.
        enter(Phase.FORWARDING, SessionState.afterReadyForQuery(ready.status()));
        flushClient();
        cancel(startupTimer);
        startupTimer = null;
        frontendRelay.authenticationEnded();
        backendRelay = new BackendRelayHandler(this, client, backend, limits.maxMessageSize(), ready.status(),
                counters.bytesToClients);
        backend.pipeline().replace(BackendChannelInitializer.AUTHENTICATION, BackendChannelInitializer.BACKEND_RELAY,
                backendRelay);
        // Fires whatever the server sent behind the ReadyForQuery into the relay, raw.
        backend.pipeline().remove(BackendChannelInitializer.DECODER);
        // Reader idleness only, as PostgreSQL's idle_session_timeout counts time waiting for the
        // client; it also spares the hot path the write listeners an all-idle handler adds.
        limits.clientIdleTimeout().ifPresent(timeout -> client.pipeline().addBefore(
                ClientChannelInitializer.FRONTEND_RELAY, ClientChannelInitializer.IDLE,
                new IdleStateHandler(timeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS)));
        if (log.isDebugEnabled()) {
            log.debug("session opened: {} on node {}", describeClient(), node);
        }
    }

    void applicationNameReported(String name) {
        applicationName = name;
    }

    void backendEnding() {
        backendEnding = true;
    }

    // ---- forwarding phase

    void clientWritable() {
        if (backendRelay != null) {
            backendRelay.clientWritable();
        }
    }

    void backendWritable() {
        if (frontendRelay != null) {
            frontendRelay.backendWritable();
        }
    }

    /** The client's bytes of a read batch went to the server: something is in flight. */
    void clientForwarded() {
        if (phase == Phase.FORWARDING) {
            show(SessionState.ACTIVE);
        }
    }

    void readyForQuery(byte status) {
        if (frontendRelay.requestsSent() <= backendRelay.readyForQueryCount()) {
            show(SessionState.afterReadyForQuery(status));
            if (status == 'I') {
                gate.sessionSettled();
            }
        }
    }

    /**
     * Whether the session sits between transactions: the last ReadyForQuery said idle, every
     * request sent has been answered by its ReadyForQuery, nothing was sent since, and neither
     * stream is inside a message. Sent but unanswered Query, FunctionCall or Sync messages, or a
     * Parse, Bind or Execute not yet followed by Sync, mean a transaction may be under way.
     */
    private boolean betweenTransactions() {
        return backendRelay.transactionStatus() == 'I'
                && frontendRelay.requestsSent() == backendRelay.readyForQueryCount()
                && frontendRelay.nothingSinceLastRequest()
                && frontendRelay.atMessageBoundary()
                && backendRelay.atMessageBoundary();
    }

    /**
     * Whether this buffer from the client must be held rather than forwarded: traffic is paused
     * and it would start a new transaction. Between transactions the client's stream is at a
     * message boundary, so the buffer's first byte is a message type; only Query, Parse, Bind
     * and FunctionCall can start a transaction (see {@code FrontendMessageListener}).
     */
    boolean holdsBeforeTransaction(ByteBuf buffer) {
        if (!gate.paused() || phase != Phase.FORWARDING || !gate.holds(node.name()) || !buffer.isReadable()
                || !betweenTransactions()) {
            return false;
        }
        byte type = buffer.getByte(buffer.readerIndex());
        return type == 'Q' || type == 'P' || type == 'B' || type == 'F';
    }

    void transactionHeld() {
        show(SessionState.HELD);
        if (log.isDebugEnabled()) {
            log.debug("next transaction of {} on node {} held: traffic is paused", describeClient(), node);
        }
        gate.sessionSettled();
    }

    /**
     * Whether nothing of this session can be cut by ending it or moving the primary: it is
     * between transactions, holds its next one, or has not started forwarding.
     */
    boolean quiet() {
        return phase != Phase.FORWARDING || !gate.holds(node.name()) || frontendRelay.holding()
                || betweenTransactions();
    }

    void clientTerminating() {
        clientTerminating = true;
    }

    void clientIdle() {
        if (phase == Phase.FORWARDING && !frontendRelay.holding() && betweenTransactions()) {
            log.debug("closing idle session of {}", describeClient());
            fail(ErrorResponse.of(Severity.FATAL, SqlState.IDLE_SESSION_TIMEOUT,
                    "terminating connection due to idle-session timeout")
                    .withDetail("pgwarden closes sessions idle for " + describe(limits.clientIdleTimeout().orElseThrow())
                            + " (limits.client-idle-timeout)."));
        }
    }

    /** Ends the session with FATAL 57P01: failover, an operator, or shutdown of the proxy. */
    void terminate(String message) {
        if (phase == Phase.CLOSED) {
            return;
        }
        if (node != null) {
            log.info("{}: {} on node {}", message, describeClient(), node);
        } else {
            log.info("{}: {}", message, describeClient());
        }
        fail(ErrorResponse.of(Severity.FATAL, SqlState.ADMIN_SHUTDOWN, message));
    }

    /** {@link #terminate} if the session is still bound to the named node. */
    void terminateOn(String nodeName, String message) {
        if (node != null && node.name().equals(nodeName)) {
            terminate(message);
        }
    }

    // ---- endings

    void backendClosed() {
        if (phase == Phase.CLOSED) {
            return;
        }
        if (backendEnding || clientTerminating) {
            // The server said why (or the client asked); pass on what it sent, then close.
            closeQuietly();
            return;
        }
        log.warn("node {} closed the connection of {} unexpectedly", node, describeClient());
        fail(ErrorResponse.of(Severity.FATAL, SqlState.CONNECTION_FAILURE, "server closed the connection unexpectedly")
                .withDetail("pgwarden lost its connection to server " + node.name() + "."));
    }

    void backendFailed(Throwable cause) {
        if (phase == Phase.CLOSED) {
            return;
        }
        if (cause instanceof ProtocolException) {
            log.warn("node {} sent an invalid message to {}: {}", node, describeClient(), cause.getMessage());
            fail(ErrorResponse.of(Severity.FATAL, SqlState.CONNECTION_FAILURE,
                    "invalid message from server " + node.name()));
        } else if (cause instanceof IOException || cause instanceof SSLException
                || cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
            log.warn("connection to node {} of {} failed: {}", node, describeClient(), cause.toString());
            backend.close();
        } else {
            log.warn("error on the connection to node {} of {}", node, describeClient(), cause);
            fail(ErrorResponse.of(Severity.FATAL, SqlState.INTERNAL_ERROR, "internal error in pgwarden"));
        }
    }

    void clientClosed() {
        if (phase == Phase.CLOSED) {
            return;
        }
        log.debug("{} disconnected", describeClient());
        enter(Phase.CLOSED, SessionState.CLOSED);
        cancelTimers();
        closeBackend();
    }

    void clientFailed(Throwable cause) {
        if (phase == Phase.CLOSED) {
            client.close();
            return;
        }
        if (cause instanceof ProtocolException protocol) {
            log.info("{} violated the protocol: {}", describeClient(), protocol.getMessage());
            ErrorResponse error = ErrorResponse.of(Severity.FATAL, protocol.sqlState(), protocol.getMessage());
            if (phase == Phase.FORWARDING) {
                fail(error);
            } else {
                reject(RejectReason.PROTOCOL_VIOLATION, error);
            }
        } else if (cause instanceof IOException || cause instanceof SSLException
                || cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
            // Resets, broken pipes, failed handshakes: the client's business, not an error here.
            log.debug("connection of {} failed: {}", describeClient(), cause.toString());
            enter(Phase.CLOSED, SessionState.CLOSED);
            cancelTimers();
            closeBackend();
            client.close();
        } else {
            log.warn("error on the connection of {}", describeClient(), cause);
            fail(ErrorResponse.of(Severity.FATAL, SqlState.INTERNAL_ERROR, "internal error in pgwarden"));
        }
    }

    private void startupTimedOut() {
        if (phase == Phase.STARTUP || phase == Phase.CONNECTING || phase == Phase.AUTHENTICATING) {
            log.info("startup of {} did not complete within {}", describeClient(), describe(limits.startupTimeout()));
            reject(RejectReason.STARTUP_TIMEOUT, ErrorResponse.of(Severity.FATAL, SqlState.PROTOCOL_VIOLATION,
                    "startup did not complete within " + describe(limits.startupTimeout())));
        }
    }

    /** {@link #fail} before the session reached forwarding, counted by reason. */
    private void reject(RejectReason reason, ErrorResponse error) {
        if (phase != Phase.CLOSED) {
            counters.rejected(reason).increment();
            fail(error);
        }
    }

    /**
     * Sends {@code error} to the client, unless that would split a message the server is in
     * the middle of sending, and closes both connections.
     */
    private void fail(ErrorResponse error) {
        if (phase == Phase.CLOSED) {
            return;
        }
        boolean atBoundary = backendRelay == null || backendRelay.atMessageBoundary();
        enter(Phase.CLOSED, SessionState.CLOSED);
        cancelTimers();
        closeBackend();
        if (atBoundary && client.isActive()) {
            error.sqlState().ifPresent(services.statistics()::errorSent);
            client.writeAndFlush(error.encode(client.alloc())).addListener(ChannelFutureListener.CLOSE);
        } else {
            client.close();
        }
    }

    private void closeQuietly() {
        enter(Phase.CLOSED, SessionState.CLOSED);
        cancelTimers();
        closeBackend();
        client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Closes the backend; a session in the forwarding phase says goodbye with Terminate first,
     * unless its stream to the server stopped inside a message. A held buffer was never sent,
     * so it does not count.
     */
    private void closeBackend() {
        if (backend == null || backendClosing) {
            return;
        }
        backendClosing = true;
        if (backendRelay != null && backend.isActive() && !clientTerminating && frontendRelay.atMessageBoundary()) {
            backend.writeAndFlush(Terminate.INSTANCE.encode(backend.alloc())).addListener(ChannelFutureListener.CLOSE);
        } else {
            backend.close();
        }
    }

    /** Runs once, when the client channel has closed: gives back everything the session held. */
    private void released() {
        // The close future completes before channelInactive fires: this is the first to know.
        clientClosed();
        if (earlyClientBytes != null) {
            earlyClientBytes.release();
            earlyClientBytes = null;
        }
        if (cancelKey != null) {
            services.cancelKeys().release(cancelKey);
            cancelKey = null;
        }
        if (boundToNode) {
            services.load().unbound(node);
            boundToNode = false;
        }
        if (holdsConnectionSlot) {
            services.connections().release();
            holdsConnectionSlot = false;
        }
        services.sessions().remove(this);
        gate.sessionSettled();
        if (backendRelay != null && log.isDebugEnabled()) {
            log.debug("session closed: {} on node {}", describeClient(), node);
        }
    }

    // ---- helpers

    private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return client.eventLoop().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelTimers() {
        cancel(startupTimer);
        cancel(holdTimer);
        cancel(retryTimer);
        startupTimer = null;
        holdTimer = null;
        retryTimer = null;
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private static boolean isReplication(StartupMessage message) {
        return message.parameter("replication")
                .map(value -> value.toLowerCase(Locale.ROOT))
                .map(value -> !(value.equals("false") || value.equals("off") || value.equals("no") || value.equals("0")))
                .orElse(false);
    }

    private static String database(StartupMessage message) {
        return message.database().orElseGet(() -> message.user().orElse(""));
    }

    /** {@code client 127.0.0.1:51234 (user app, database shop, listener rw)}, for log lines. */
    private String describeClient() {
        StartupMessage message = startup;
        StringBuilder text = new StringBuilder("client ").append(client.remoteAddress());
        if (message != null) {
            text.append(" (user ").append(message.user().orElse("?"))
                    .append(", database ").append(database(message))
                    .append(", listener ").append(listenerName).append(')');
        } else {
            text.append(" (listener ").append(listenerName).append(')');
        }
        return text.toString();
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
