package io.pgwarden.admin.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.Objects;

/**
 * What an endpoint answers: a value the handler writes as JSON, or text as it is.
 *
 * @param status HTTP status
 * @param contentType {@code Content-Type} of the response
 * @param body a JSON-serializable value when {@code contentType} is JSON, else a {@link String}
 * @param headers further response headers
 */
public record ApiResponse(HttpResponseStatus status, String contentType, Object body, Map<String, String> headers) {

    public static final String JSON = "application/json; charset=utf-8";

    public ApiResponse {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
        if (!contentType.equals(JSON) && !(body instanceof String)) {
            throw new IllegalArgumentException("a " + contentType + " body must be a String");
        }
    }

    public static ApiResponse ok(Object view) {
        return json(HttpResponseStatus.OK, view);
    }

    public static ApiResponse json(HttpResponseStatus status, Object view) {
        return new ApiResponse(status, JSON, view, Map.of());
    }

    public static ApiResponse text(String contentType, String text) {
        return new ApiResponse(HttpResponseStatus.OK, contentType, text, Map.of());
    }

    public boolean isJson() {
        return contentType.equals(JSON);
    }
}
