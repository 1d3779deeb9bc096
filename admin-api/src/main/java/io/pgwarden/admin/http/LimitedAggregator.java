package io.pgwarden.admin.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Aggregates request bodies up to a small limit (admin requests carry a few fields at most) and
 * answers a larger one with a JSON 413 and a close, as every other error of the API is JSON.
 */
final class LimitedAggregator extends HttpObjectAggregator {

    /** How long the rest of an oversized body is read and dropped before the connection closes. */
    private static final Duration LINGER = Duration.ofSeconds(2);

    private final ObjectMapper json;

    LimitedAggregator(int maxBodyBytes, ObjectMapper json) {
        super(maxBodyBytes);
        this.json = json;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        ApiException error = new ApiException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "payload-too-large",
                "request bodies are limited to " + maxContentLength() + " bytes");
        byte[] body;
        try {
            body = json.writeValueAsBytes(error.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an error body", e);
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, error.status(),
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, ApiResponse.JSON);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        // The rest of the body may still be on its way: the connection ends after this answer.
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) written -> lingerThenClose(written.channel()));
    }

    /**
     * Ends the connection without losing the answer: closing a socket while the client's body is
     * still arriving resets the connection, and the client may then never read the 413. So the
     * output is shut down (the client sees the answer and the end of it), what the client still
     * sends is read and dropped (this aggregator discards the rest of an oversized body), and the
     * channel closes when the client closes its side, or after {@link #LINGER}.
     */
    private static void lingerThenClose(Channel channel) {
        if (!(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
            channel.close();
            return;
        }
        duplex.shutdownOutput().addListener(shutdown -> {
            if (!shutdown.isSuccess()) {
                channel.close();
                return;
            }
            channel.eventLoop().schedule(() -> {
                channel.close();
            }, LINGER.toMillis(), TimeUnit.MILLISECONDS);
        });
    }
}
