package io.pgwarden.proxy.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.pgwarden.protocol.BackendMessageDecoder;
import java.util.Objects;

/**
 * Assembles the pipeline of a connection to a backend, in its startup phase:
 * <pre>
 *   [tls]           SslHandler, inserted when the backend answers an SSLRequest with 'S'
 *   decoder         BackendMessageDecoder: typed messages during TLS negotiation and authentication
 *   authentication  BackendAuthenticationHandler: relays the exchange, rewriting what must change
 * </pre>
 * After the ReadyForQuery that ends the startup, {@code decoder} is gone and
 * {@code authentication} is replaced by {@code backend-relay} ({@link BackendRelayHandler}).
 */
final class BackendChannelInitializer extends ChannelInitializer<Channel> {

    static final String TLS = "tls";
    static final String DECODER = "decoder";
    static final String AUTHENTICATION = "authentication";
    static final String BACKEND_RELAY = "backend-relay";

    /** Messages of the startup phase are small; nothing a server sends then comes near this. */
    private static final int MAX_STARTUP_PHASE_MESSAGE = 1024 * 1024;

    private final ClientSession session;

    BackendChannelInitializer(ClientSession session) {
        this.session = Objects.requireNonNull(session, "session");
    }

    @Override
    protected void initChannel(Channel channel) {
        channel.pipeline()
                .addLast(DECODER, new BackendMessageDecoder(MAX_STARTUP_PHASE_MESSAGE))
                .addLast(AUTHENTICATION, new BackendAuthenticationHandler(session));
    }
}
