package io.pgwarden.proxy.session;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.pgwarden.protocol.FrontendMessageDecoder;
import io.pgwarden.proxy.routing.BackendRouter;
import java.util.Objects;

/**
 * Assembles the pipeline of an accepted client connection. It starts with the startup phase:
 * <pre>
 *   [tls]  SslHandler, inserted when an SSLRequest is answered 'S'
 *   startup-decoder  FrontendMessageDecoder: SSLRequest, GSSENCRequest, CancelRequest, StartupMessage
 *   startup          StartupHandler: hands each packet to the ClientSession
 * </pre>
 * Once a backend is connected, {@code startup-decoder} is gone and {@code startup} is replaced by
 * {@code frontend-relay} ({@link FrontendRelayHandler}), which forwards raw buffers; an
 * {@code idle} handler precedes it when a client idle timeout is configured.
 */
public final class ClientChannelInitializer extends ChannelInitializer<SocketChannel> {

    static final String TLS = "tls";
    static final String STARTUP_DECODER = "startup-decoder";
    static final String STARTUP = "startup";
    static final String IDLE = "idle";
    static final String FRONTEND_RELAY = "frontend-relay";

    private final String listenerName;
    private final BackendRouter router;
    private final SessionServices services;

    public ClientChannelInitializer(String listenerName, BackendRouter router, SessionServices services) {
        this.listenerName = Objects.requireNonNull(listenerName, "listenerName");
        this.router = Objects.requireNonNull(router, "router");
        this.services = Objects.requireNonNull(services, "services");
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        ClientSession session = new ClientSession(channel, listenerName, router, services);
        // The decoder frames the startup phase only; its limit for typed messages never applies.
        int maxMessageSize = Math.min(session.limits().maxMessageSize(), Integer.MAX_VALUE - 1);
        channel.pipeline()
                .addLast(STARTUP_DECODER, new FrontendMessageDecoder(maxMessageSize))
                .addLast(STARTUP, new StartupHandler(session));
    }
}
