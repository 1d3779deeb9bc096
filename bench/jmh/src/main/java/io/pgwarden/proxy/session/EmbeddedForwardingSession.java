package io.pgwarden.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelOption;
import io.netty.channel.embedded.EmbeddedChannel;
import io.pgwarden.config.ClientTlsMode;
import io.pgwarden.config.ListenerSettings;
import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.config.SettingsLoader;
import io.pgwarden.protocol.FrontendMessageDecoder;
import io.pgwarden.protocol.message.ProtocolVersion;
import io.pgwarden.protocol.message.backend.AuthenticationOk;
import io.pgwarden.protocol.message.backend.BackendKeyData;
import io.pgwarden.protocol.message.backend.ParameterStatus;
import io.pgwarden.protocol.message.backend.ReadyForQuery;
import io.pgwarden.protocol.message.backend.SSLResponse;
import io.pgwarden.protocol.message.frontend.StartupMessage;
import io.pgwarden.proxy.cancel.CancelForwarder;
import io.pgwarden.proxy.cancel.CancelKeyRegistry;
import io.pgwarden.proxy.listener.ConnectionLimiter;
import io.pgwarden.proxy.listener.Transport;
import io.pgwarden.proxy.routing.BackendRouter;
import io.pgwarden.proxy.routing.NodeLoad;
import io.pgwarden.proxy.topology.BackendAddressResolver;
import io.pgwarden.proxy.topology.BackendNode;
import io.pgwarden.proxy.topology.StaticTopology;
import io.pgwarden.proxy.topology.TopologySource;
import java.lang.reflect.Field;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real {@link ClientSession} in its forwarding phase between two {@link EmbeddedChannel}s, one
 * standing for the client's socket and one for the server's: the proxy's hot path
 * ({@link FrontendRelayHandler}, {@link BackendRelayHandler} and the session they report to)
 * without a network, for benchmarks.
 *
 * <p>The session is built as a listener builds it (default configuration, listener {@code rw})
 * and goes through its own code from acceptance to forwarding: its startup pipeline, the
 * replay of the StartupMessage, the relay of a trust login with BackendKeyData replaced, and
 * the switch to forwarding on the first ReadyForQuery. Only the TCP connect to the server
 * cannot happen on an embedded event loop; this class does in its place what
 * {@code ClientSession.connect} would have recorded (the StartupMessage, the chosen node, the
 * backend channel, the phase), through reflection, because those fields are private to the
 * session. A change to them breaks {@link #open()} at once, with the name of the field, and
 * the module's tests run it.
 *
 * <p>This class lives in the session package of proxy-core (a split package on the class path)
 * so that it can build the package-private session and handlers exactly as production does.
 */
public final class EmbeddedForwardingSession implements AutoCloseable {

    /** Process id of the real cancel key the server sends at login, which the client must not see. */
    public static final int SERVER_PROCESS_ID = 4242;
    /** Secret of the real cancel key the server sends at login. */
    public static final int SERVER_SECRET_KEY = 0x5EC2E7;

    private static final String LISTENER = "rw";

    private final EmbeddedChannel client;
    private final EmbeddedChannel backend;
    private final ClientSession session;
    private final SessionRegistry sessions;
    private final CancelKeyRegistry cancelKeys;
    private final BackendAddressResolver resolver;
    private final byte[] replayedStartup;
    private final List<String> loginRelayed;

    private EmbeddedForwardingSession(EmbeddedChannel client, EmbeddedChannel backend, ClientSession session,
            SessionRegistry sessions, CancelKeyRegistry cancelKeys, BackendAddressResolver resolver,
            byte[] replayedStartup, List<String> loginRelayed) {
        this.client = client;
        this.backend = backend;
        this.session = session;
        this.sessions = sessions;
        this.cancelKeys = cancelKeys;
        this.resolver = resolver;
        this.replayedStartup = replayedStartup;
        this.loginRelayed = loginRelayed;
    }

    /** A session of user {@code bench} on database {@code bench}, idle after its login. */
    public static EmbeddedForwardingSession open() {
        PgwardenSettings settings = new SettingsLoader(Map.of()).parse(
                "pgwarden { backends = [ { name = \"pg1\", host = \"127.0.0.1\", port = 5432 } ]\n"
                        + " admin.enabled = false }");
        ListenerSettings listener = settings.listeners().stream()
                .filter(candidate -> candidate.name().equals(LISTENER))
                .findFirst()
                .orElseThrow();
        TopologySource topology = StaticTopology.fromBackends(settings.backends());
        SessionRegistry sessions = new SessionRegistry();
        CurrentLimits limits = new CurrentLimits(settings.limits());
        CancelKeyRegistry cancelKeys = new CancelKeyRegistry();
        BackendAddressResolver resolver = new BackendAddressResolver();
        NodeLoad load = new NodeLoad();
        SessionServices services = new SessionServices(
                limits,
                topology,
                sessions,
                new SessionGate(sessions),
                new ProxyStatistics(settings.listeners().stream().map(ListenerSettings::name).toList(), sessions),
                cancelKeys,
                new CancelForwarder(Transport.NIO.channelClass(), () -> limits.get().backendConnectTimeout(), resolver),
                new ConnectionLimiter(settings.limits().maxClientConnections()),
                load,
                Transport.NIO,
                ClientTlsMode.DISABLE,
                Optional.empty(),
                BackendTls.disabled(),
                resolver,
                Clock.systemUTC());

        // Accept: the client pipeline of ClientChannelInitializer; registering fires channelActive.
        EmbeddedChannel client = unregisteredSocket();
        ClientSession session = new ClientSession(client, LISTENER, new BackendRouter(listener, load), services);
        client.pipeline()
                .addLast(ClientChannelInitializer.STARTUP_DECODER,
                        new FrontendMessageDecoder(Math.min(session.limits().maxMessageSize(), Integer.MAX_VALUE - 1)))
                .addLast(ClientChannelInitializer.STARTUP, new StartupHandler(session));
        register(client);

        // The StartupMessage arrives (StartupHandler removes the decoder), the session routes
        // to the primary and connects: the part an embedded event loop cannot run.
        StartupMessage startup = StartupMessage.of(ProtocolVersion.V3_0, Map.of("user", "bench", "database", "bench"));
        client.pipeline().remove(ClientChannelInitializer.STARTUP_DECODER);
        BackendNode primary = topology.current().primary().orElseThrow();
        EmbeddedChannel backend = unregisteredSocket();
        backend.pipeline().addLast(new BackendChannelInitializer(session));
        register(backend);
        setField(session, "startup", startup);
        setField(session, "node", primary);
        setField(session, "backend", backend);
        setEnumField(session, "phase", "CONNECTING");

        // Connected, TLS declined (tls.backend.mode = disable never asks): the session replays
        // the StartupMessage and starts relaying the client's bytes.
        session.backendSslResponse(SSLResponse.UNWILLING);
        ByteBuf replayedBuffer = backend.readOutbound();
        byte[] replayed = ByteBufUtil.getBytes(replayedBuffer);
        replayedBuffer.release();

        // A trust login, as PostgreSQL sends it in one read; its ReadyForQuery starts forwarding.
        backend.writeInbound(login(backend.alloc()));
        List<String> relayed = new ArrayList<>();
        for (ByteBuf message = client.readOutbound(); message != null; message = client.readOutbound()) {
            relayed.add(describe(message));
            message.release();
        }
        EmbeddedForwardingSession forwarding = new EmbeddedForwardingSession(client, backend, session, sessions,
                cancelKeys, resolver, replayed, List.copyOf(relayed));
        if (session.state() != SessionState.IDLE) {
            forwarding.close();
            throw new IllegalStateException("the session did not reach forwarding, it is " + session.state());
        }
        return forwarding;
    }

    /** The channel of the client's socket: write the client's bytes inbound, read what the proxy sends it. */
    public EmbeddedChannel client() {
        return client;
    }

    /** The channel of the server's socket: write the server's bytes inbound, read what the proxy sends it. */
    public EmbeddedChannel backend() {
        return backend;
    }

    /** What the admin API would show for the session. */
    public SessionState state() {
        return session.state();
    }

    /** Sessions the proxy knows of: 1 while open, 0 once closed and released. */
    public int registeredSessions() {
        return sessions.size();
    }

    /** Cancel keys issued and not yet released. */
    public int cancelKeys() {
        return cancelKeys.size();
    }

    /** The StartupMessage as the session replayed it to the server. */
    public byte[] replayedStartup() {
        return replayedStartup.clone();
    }

    /**
     * The login as the client received it: per buffer, the types of its messages and, for
     * BackendKeyData, the key, e.g. {@code [R, S, ..., K(17,-5123), Z]}.
     */
    public List<String> loginRelayed() {
        return loginRelayed;
    }

    /** The real process id and secret key the fake server sent, which the client must not see. */
    public static int[] serverCancelKey() {
        return new int[] {SERVER_PROCESS_ID, SERVER_SECRET_KEY};
    }

    /**
     * Closes the client's side as a disconnect would: the session says Terminate to the server
     * and closes it. Everything still queued on either channel is released.
     */
    @Override
    public void close() {
        client.close();
        client.finishAndReleaseAll();
        backend.finishAndReleaseAll();
        resolver.close();
    }

    private static EmbeddedChannel unregisteredSocket() {
        EmbeddedChannel channel = new EmbeddedChannel(false, false);
        channel.config().setOption(ChannelOption.AUTO_READ, false);
        channel.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, FlowControl.WATER_MARK);
        return channel;
    }

    private static void register(EmbeddedChannel channel) {
        try {
            channel.register();
        } catch (Exception e) {
            throw new IllegalStateException("could not register an embedded channel", e);
        }
    }

    private static ByteBuf login(ByteBufAllocator allocator) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("server_version", "15.6");
        parameters.put("server_encoding", "UTF8");
        parameters.put("client_encoding", "UTF8");
        parameters.put("DateStyle", "ISO, MDY");
        parameters.put("integer_datetimes", "on");
        parameters.put("standard_conforming_strings", "on");
        parameters.put("TimeZone", "UTC");
        parameters.put("application_name", "");
        ByteBuf login = allocator.buffer();
        AuthenticationOk.INSTANCE.encode(login);
        parameters.forEach((name, value) -> new ParameterStatus(name, value).encode(login));
        BackendKeyData.of(SERVER_PROCESS_ID, SERVER_SECRET_KEY).encode(login);
        ReadyForQuery.IDLE.encode(login);
        return login;
    }

    private static String describe(ByteBuf buffer) {
        StringBuilder text = new StringBuilder();
        for (int index = buffer.readerIndex(); index < buffer.writerIndex(); index += 1 + buffer.getInt(index + 1)) {
            char type = (char) buffer.getByte(index);
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(type);
            if (type == BackendKeyData.TYPE) {
                text.append('(').append(buffer.getInt(index + 5)).append(',').append(buffer.getInt(index + 9)).append(')');
            }
        }
        return text.toString();
    }

    private static void setField(ClientSession session, String name, Object value) {
        try {
            field(name).set(session, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot set ClientSession." + name, e);
        }
    }

    private static void setEnumField(ClientSession session, String name, String constant) {
        Field field = field(name);
        for (Object candidate : field.getType().getEnumConstants()) {
            if (((Enum<?>) candidate).name().equals(constant)) {
                try {
                    field.set(session, candidate);
                    return;
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot set ClientSession." + name, e);
                }
            }
        }
        throw new IllegalStateException("ClientSession." + name + " has no value " + constant);
    }

    private static Field field(String name) {
        try {
            Field field = ClientSession.class.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("ClientSession has no field " + name
                    + " any more: update EmbeddedForwardingSession to what ClientSession.connect records", e);
        }
    }
}
