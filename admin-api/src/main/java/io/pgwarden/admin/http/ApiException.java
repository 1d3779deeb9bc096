package io.pgwarden.admin.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request that ends in an error response {@code {"error": ..., "detail": ...}}. Thrown by
 * endpoints and the request pipeline; anything else that escapes an endpoint is a 500.
 *
 * @see ErrorBody
 */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient HttpResponseStatus status;
    private final String error;
    private final List<String> problems;
    private final Map<String, String> headers;

    /**
     * @param error short, stable code for programs, e.g. {@code conflict}
     * @param detail what happened, for a person
     */
    public ApiException(HttpResponseStatus status, String error, String detail) {
        this(status, error, detail, List.of());
    }

    /** @param problems one line each, e.g. the configuration problems of a refused reload */
    public ApiException(HttpResponseStatus status, String error, String detail, List<String> problems) {
        this(status, error, detail, problems, Map.of());
    }

    /** @param headers response headers the status calls for, e.g. {@code Allow} with a 405 */
    public ApiException(
            HttpResponseStatus status, String error, String detail, List<String> problems, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = Objects.requireNonNull(status, "status");
        this.error = Objects.requireNonNull(error, "error");
        this.problems = List.copyOf(problems);
        this.headers = Map.copyOf(headers);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, "bad-request", detail);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(HttpResponseStatus.NOT_FOUND, "not-found", detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpResponseStatus.CONFLICT, "conflict", detail);
    }

    public HttpResponseStatus status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String detail() {
        return getMessage();
    }

    public List<String> problems() {
        return problems;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public ErrorBody body() {
        return new ErrorBody(error, detail(), problems.isEmpty() ? null : problems);
    }

    /** The error response. */
    public ApiResponse response() {
        return new ApiResponse(status, ApiResponse.JSON, body(), headers);
    }
}
