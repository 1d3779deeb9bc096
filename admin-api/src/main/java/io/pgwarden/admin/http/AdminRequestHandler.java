package io.pgwarden.admin.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each aggregated request, checks the token, calls the endpoint and writes its answer as
 * JSON. One instance per connection: requests of one connection are answered in order, one at a
 * time (HTTP/1.1 pipelining), while the endpoint of the current one may complete on any thread.
 */
public final class AdminRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(AdminRequestHandler.class);

    private final Router router;
    private final BearerAuth auth;
    private final ObjectMapper json;
    /** Requests that arrived while an earlier one of this connection was in flight. Event loop only. */
    private final Deque<Pending> queue = new ArrayDeque<>();
    private boolean inFlight;

    private record Pending(ApiRequest request, boolean keepAlive) {
    }

    public AdminRequestHandler(Router router, BearerAuth auth, ObjectMapper json) {
        this.router = Objects.requireNonNull(router, "router");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.json = Objects.requireNonNull(json, "json");
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest message) {
        boolean keepAlive = HttpUtil.isKeepAlive(message);
        if (message.decoderResult().isFailure()) {
            ApiException error = ApiException.badRequest("malformed HTTP request: " + message.decoderResult().cause());
            write(ctx, error.response(), false);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(message.uri());
        ApiRequest request = new ApiRequest(message.method(), uri.path(), Map.of(), uri.parameters(),
                message.headers().copy(), ByteBufUtil.getBytes(message.content()),
                String.valueOf(ctx.channel().remoteAddress()), json);
        if (inFlight) {
            queue.addLast(new Pending(request, keepAlive));
            return;
        }
        dispatch(ctx, request, keepAlive);
    }

    private void dispatch(ChannelHandlerContext ctx, ApiRequest request, boolean keepAlive) {
        inFlight = true;
        CompletableFuture<ApiResponse> answer;
        try {
            answer = route(request);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((response, failure) -> ctx.executor().execute(() -> {
            ApiResponse toWrite = failure == null ? response : failureResponse(request, failure);
            write(ctx, toWrite, keepAlive);
        }));
    }

    private CompletableFuture<ApiResponse> route(ApiRequest request) {
        Router.Match match = router.match(request.method(), request.path());
        if (match instanceof Router.NotFound) {
            throw ApiException.notFound("no such endpoint: " + request.method() + " " + request.path());
        }
        if (match instanceof Router.WrongMethod wrong) {
            String allowed = wrong.allowed().stream().map(HttpMethod::name).collect(Collectors.joining(", "));
            throw new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "method-not-allowed",
                    request.method() + " is not allowed on " + request.path() + "; allowed: " + allowed, List.of(),
                    Map.of(HttpHeaderNames.ALLOW.toString(), allowed));
        }
        Router.Found found = (Router.Found) match;
        auth.check(found.route().access(), request.headers());
        ApiRequest bound = new ApiRequest(request.method(), request.path(), found.parameters(), request.query(),
                request.headers(), request.body(), request.remoteAddress(), request.json());
        CompletableFuture<ApiResponse> answer = found.route().endpoint().handle(bound);
        if (answer == null) {
            throw new IllegalStateException("endpoint of " + found.route().pattern() + " returned no future");
        }
        return answer;
    }

    private ApiResponse failureResponse(ApiRequest request, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        if (cause instanceof ApiException error) {
            if (error.status().code() == 401 || error.status().code() == 403) {
                log.warn("admin request {} {} from {} refused: {}", request.method(), request.path(),
                        request.remoteAddress(), error.detail());
            }
            return error.response();
        }
        log.error("admin request {} {} from {} failed", request.method(), request.path(), request.remoteAddress(),
                cause);
        return new ApiException(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal-error",
                "unexpected error while handling " + request.method() + " " + request.path()
                        + "; the pgwarden log has the details").response();
    }

    private void write(ChannelHandlerContext ctx, ApiResponse response, boolean keepAlive) {
        if (!ctx.channel().isActive()) {
            inFlight = false;
            queue.clear();
            return;
        }
        FullHttpResponse http = toHttp(ctx, response);
        HttpUtil.setKeepAlive(http, keepAlive);
        if (!keepAlive) {
            ctx.writeAndFlush(http).addListener(ChannelFutureListener.CLOSE);
            inFlight = false;
            queue.clear();
            return;
        }
        ctx.writeAndFlush(http).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        inFlight = false;
        Pending next = queue.pollFirst();
        if (next != null) {
            dispatch(ctx, next.request(), next.keepAlive());
        }
    }

    private FullHttpResponse toHttp(ChannelHandlerContext ctx, ApiResponse response) {
        byte[] bytes;
        if (response.isJson()) {
            try {
                bytes = json.writeValueAsBytes(response.body());
            } catch (JsonProcessingException e) {
                log.error("cannot write the admin response {} as JSON", response.body().getClass().getName(), e);
                return toHttp(ctx, new ApiException(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal-error",
                        "the response could not be written; the pgwarden log has the details").response());
            }
        } else {
            bytes = ((String) response.body()).getBytes(StandardCharsets.UTF_8);
        }
        ByteBuf content = Unpooled.wrappedBuffer(bytes);
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(), content);
        http.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        http.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        http.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        response.headers().forEach((name, value) -> http.headers().set(name, value));
        return http;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            // A connection waiting for a long switchover is quiet, not idle.
            if (!inFlight) {
                log.debug("closing idle admin connection from {}", ctx.channel().remoteAddress());
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("admin connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("admin connection from {} failed", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
