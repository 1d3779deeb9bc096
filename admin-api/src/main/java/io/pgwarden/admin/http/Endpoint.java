package io.pgwarden.admin.http;

import java.util.concurrent.CompletableFuture;

/**
 * Handles the requests of one route. Runs on the admin event loop: an endpoint that must wait
 * (a switchover, a reload) returns an incomplete future and completes it elsewhere. Throwing
 * {@link ApiException}, or completing the future with one, answers with that error.
 */
@FunctionalInterface
public interface Endpoint {

    CompletableFuture<ApiResponse> handle(ApiRequest request);
}
