package io.pgwarden.admin.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Aggregates request bodies up to a small limit (admin requests carry a few fields at most) and
 * answers a larger one with a JSON 413 and a close, as every other error of the API is JSON.
 */
final class LimitedAggregator extends HttpObjectAggregator {

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
        // The rest of the body may still be on its way: closing is simpler and safer than skipping it.
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
