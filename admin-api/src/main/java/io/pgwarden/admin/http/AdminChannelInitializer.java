package io.pgwarden.admin.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The whole admin pipeline, in one place: TLS (optional), HTTP codec, body limit, idle close, API. */
public final class AdminChannelInitializer extends ChannelInitializer<SocketChannel> {

    /** Largest request body accepted; the biggest admin request is {@code {"to": "<node name>"}}. */
    public static final int MAX_BODY_BYTES = 16 * 1024;
    /** A connection with no traffic this long is closed, so abandoned clients hold no socket. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(120);

    private final Optional<SslContext> tls;
    private final Router router;
    private final BearerAuth auth;
    private final ObjectMapper json;

    public AdminChannelInitializer(Optional<SslContext> tls, Router router, BearerAuth auth, ObjectMapper json) {
        this.tls = Objects.requireNonNull(tls, "tls");
        this.router = Objects.requireNonNull(router, "router");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.json = Objects.requireNonNull(json, "json");
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        tls.ifPresent(context -> pipeline.addLast("tls", context.newHandler(channel.alloc())));
        addHttpHandlers(pipeline);
    }

    /** Everything after TLS; tests assemble it in an {@code EmbeddedChannel}. */
    public void addHttpHandlers(ChannelPipeline pipeline) {
        pipeline.addLast("http", new HttpServerCodec());
        pipeline.addLast("aggregator", new LimitedAggregator(MAX_BODY_BYTES, json));
        pipeline.addLast("idle", new IdleStateHandler(0, 0, IDLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        pipeline.addLast("api", new AdminRequestHandler(router, auth, json));
    }
}
