package io.pgwarden.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.pgwarden.admin.api.AdminRoutes;
import io.pgwarden.admin.http.AdminChannelInitializer;
import io.pgwarden.admin.http.AdminJson;
import io.pgwarden.admin.http.BearerAuth;
import io.pgwarden.admin.metrics.PgwardenMetrics;
import io.pgwarden.admin.metrics.PgwardenMetricsTest;
import io.pgwarden.admin.port.AdminPorts;
import io.pgwarden.config.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The admin pipeline in an {@code EmbeddedChannel}: raw HTTP/1.1 bytes in, responses decoded by
 * Netty's client codec out. Endpoints that would run on a worker thread run inline here.
 */
public final class EmbeddedAdmin implements AutoCloseable {

    public static final String TOKEN = "s3cr3t-admin-token";

    public final FakeCluster cluster;
    public final FakeProxy proxy;
    public final PgwardenMetrics metrics;
    private final AdminRoutes routes;
    private final AdminChannelInitializer initializer;
    private final Connection connection;
    private final List<Connection> connections = new ArrayList<>();

    /** A response as the client saw it. */
    public record Reply(int status, HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                return AdminJson.lenient().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    public EmbeddedAdmin() {
        this(Optional.of(new Secret(TOKEN)), false);
    }

    public EmbeddedAdmin(Optional<Secret> token, boolean readRequiresToken) {
        this(new FakeCluster(), new FakeProxy(), token, readRequiresToken);
    }

    public EmbeddedAdmin(FakeCluster cluster, FakeProxy proxy, Optional<Secret> token, boolean readRequiresToken) {
        this.cluster = cluster;
        this.proxy = proxy;
        this.metrics = new PgwardenMetrics(PgwardenMetricsTest.strictRegistry(), cluster.topology(), cluster.events(),
                proxy);
        AdminPorts ports = proxy.ports();
        this.routes = new AdminRoutes(cluster, ports, metrics, Runnable::run,
                Clock.fixed(FakeCluster.START.plusSeconds(90), ZoneOffset.UTC));
        this.initializer = new AdminChannelInitializer(Optional.empty(), routes.router(),
                new BearerAuth(token, readRequiresToken), AdminJson.strict());
        this.connection = connection();
    }

    /** Another client connection to the same admin API. */
    public Connection connection() {
        Connection opened = new Connection();
        connections.add(opened);
        return opened;
    }

    public Reply get(String uri) {
        return connection.call("GET", uri, null, null);
    }

    public Reply post(String uri, String body) {
        return connection.call("POST", uri, TOKEN, body);
    }

    public Reply call(String method, String uri, String token, String body) {
        return connection.call(method, uri, token, body);
    }

    public List<Reply> exchange(String raw) {
        return connection.exchange(raw);
    }

    public boolean isOpen() {
        return connection.server.isOpen();
    }

    /** The raw bytes of one request. */
    public static String request(String method, String uri, String token, String body) {
        StringBuilder request = new StringBuilder();
        request.append(method).append(' ').append(uri).append(" HTTP/1.1\r\nHost: localhost\r\n");
        if (token != null) {
            request.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            request.append("Content-Type: application/json\r\n");
        }
        request.append("Content-Length: ").append(content.length).append("\r\n\r\n");
        return request + (body == null ? "" : body);
    }

    /** One client connection. */
    public final class Connection {

        private final EmbeddedChannel server = new EmbeddedChannel();
        private final EmbeddedChannel client = new EmbeddedChannel(new HttpClientCodec(), new HttpObjectAggregator(1 << 20));

        Connection() {
            initializer.addHttpHandlers(server.pipeline());
        }

        /** One request, answered before this returns. */
        public Reply call(String method, String uri, String token, String body) {
            List<Reply> replies = exchange(request(method, uri, token, body));
            if (replies.size() != 1) {
                throw new AssertionError("expected one response, got " + replies.size());
            }
            return replies.get(0);
        }

        /** Writes raw bytes (none or more requests), runs the event loop, and decodes every response written since the last call. */
        public List<Reply> exchange(String raw) {
            if (!raw.isEmpty()) {
                server.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.UTF_8));
            }
            server.runPendingTasks();
            server.runPendingTasks();
            // The client codec matches responses to requests: tell it how many requests went out.
            int requests = raw.split("HTTP/1.1\r\n", -1).length - 1;
            for (int i = 0; i < requests; i++) {
                client.writeOutbound(new io.netty.handler.codec.http.DefaultFullHttpRequest(
                        io.netty.handler.codec.http.HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpMethod.GET, "/"));
            }
            releaseAll(client.outboundMessages());
            ByteBuf written;
            while ((written = server.readOutbound()) != null) {
                client.writeInbound(written);
            }
            List<Reply> replies = new ArrayList<>();
            FullHttpResponse response;
            while ((response = client.readInbound()) != null) {
                try {
                    replies.add(new Reply(response.status().code(), response.headers().copy(),
                            response.content().toString(StandardCharsets.UTF_8)));
                } finally {
                    response.release();
                }
            }
            return replies;
        }

        /** Tells the connection it has been idle for the idle timeout. */
        public void idle() {
            server.pipeline().fireUserEventTriggered(io.netty.handler.timeout.IdleStateEvent.ALL_IDLE_STATE_EVENT);
        }

        public boolean isOpen() {
            return server.isOpen();
        }

        void close() {
            server.finishAndReleaseAll();
            client.finishAndReleaseAll();
        }
    }

    private static void releaseAll(java.util.Queue<Object> messages) {
        Object message;
        while ((message = messages.poll()) != null) {
            io.netty.util.ReferenceCountUtil.release(message);
        }
    }

    @Override
    public void close() {
        connections.forEach(Connection::close);
        routes.close();
        metrics.close();
    }
}
