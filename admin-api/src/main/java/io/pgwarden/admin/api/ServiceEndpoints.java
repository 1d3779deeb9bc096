package io.pgwarden.admin.api;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.pgwarden.admin.api.view.HealthView;
import io.pgwarden.admin.api.view.ReloadView;
import io.pgwarden.admin.http.Access;
import io.pgwarden.admin.http.ApiException;
import io.pgwarden.admin.http.ApiRequest;
import io.pgwarden.admin.http.ApiResponse;
import io.pgwarden.admin.http.Router;
import io.pgwarden.admin.metrics.PgwardenMetrics;
import io.pgwarden.admin.port.AdminPorts;
import io.pgwarden.admin.port.ClusterOperations;
import io.pgwarden.admin.port.ReloadOutcome;
import io.pgwarden.config.ConfigProblem;
import io.pgwarden.config.InvalidConfigException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/** Probes, metrics and reload: the endpoints about the process rather than the cluster. */
final class ServiceEndpoints {

    private final ClusterOperations cluster;
    private final AdminPorts ports;
    private final PgwardenMetrics metrics;
    private final OperationGuard guard;
    private final Executor worker;

    ServiceEndpoints(ClusterOperations cluster, AdminPorts ports, PgwardenMetrics metrics, OperationGuard guard,
            Executor worker) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.ports = Objects.requireNonNull(ports, "ports");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.worker = Objects.requireNonNull(worker, "worker");
    }

    void register(Router router) {
        // Probes are served at the root, where orchestrators look, and under the API prefix.
        for (String prefix : List.of("", AdminRoutes.API)) {
            router.add(HttpMethod.GET, prefix + "/healthz", Access.OPEN,
                    request -> ClusterEndpoints.done(ApiResponse.ok(new HealthView("alive", null, null))));
            router.add(HttpMethod.GET, prefix + "/readyz", Access.OPEN, request -> ClusterEndpoints.done(ready()));
        }
        router.add(HttpMethod.GET, "/metrics", Access.READ, request ->
                CompletableFuture.supplyAsync(() -> ApiResponse.text(PgwardenMetrics.CONTENT_TYPE, metrics.scrape()),
                        worker));
        router.add(HttpMethod.POST, AdminRoutes.API + "/reload", Access.MUTATE, this::reload);
    }

    /** Ready: the proxy's listeners are bound and a primary is elected and routable. */
    private ApiResponse ready() {
        boolean listeners = ports.readiness().listenersBound();
        boolean primary = cluster.topology().current().routablePrimary().isPresent();
        boolean ready = listeners && primary;
        return ApiResponse.json(ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                new HealthView(ready ? "ready" : "not-ready", listeners, primary));
    }

    private CompletableFuture<ApiResponse> reload(ApiRequest request) {
        request.requireNoFields();
        Runnable release = guard.claim("reload", "requested through the admin API by " + request.remoteAddress());
        CompletableFuture<ApiResponse> answer;
        try {
            answer = CompletableFuture.supplyAsync(() -> {
                try {
                    ReloadOutcome outcome = ports.reloader().reload();
                    return ApiResponse.ok(new ReloadView(outcome.applied(), outcome.restartRequired()));
                } catch (InvalidConfigException e) {
                    int count = e.problems().size();
                    throw new CompletionException(new ApiException(HttpResponseStatus.BAD_REQUEST, "invalid-config",
                            "the new configuration has " + count + (count == 1 ? " problem" : " problems")
                                    + "; nothing was changed, the running configuration stays",
                            e.problems().stream().map(ConfigProblem::describe).toList()));
                } catch (UnsupportedOperationException e) {
                    throw new CompletionException(new ApiException(HttpResponseStatus.NOT_IMPLEMENTED,
                            "not-implemented", "reload is not available: " + e.getMessage()));
                }
            }, worker);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
        return answer.whenComplete((ignored, failure) -> release.run());
    }
}
