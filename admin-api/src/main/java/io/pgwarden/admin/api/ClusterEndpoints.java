package io.pgwarden.admin.api;

import io.netty.handler.codec.http.HttpMethod;
import io.pgwarden.admin.api.view.NodeCommandView;
import io.pgwarden.admin.http.Access;
import io.pgwarden.admin.http.ApiException;
import io.pgwarden.admin.http.ApiRequest;
import io.pgwarden.admin.http.ApiResponse;
import io.pgwarden.admin.http.Router;
import io.pgwarden.admin.port.AdminPorts;
import io.pgwarden.admin.port.ClusterOperations;
import io.pgwarden.health.event.ClusterEvent;
import io.pgwarden.health.event.EventLog;
import io.pgwarden.health.failover.CommandResult;
import io.pgwarden.health.failover.FailoverResult;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The cluster endpoints: state, events, switchover, failover, fence, unfence, drain.
 *
 * <p>A switchover or failover that ends without electing a new primary, and a fence or unfence
 * the coordinator refuses, answer 409: the request conflicts with the state of the cluster (the
 * detail says how). So does any of them while another failover or switchover is under way.
 */
final class ClusterEndpoints {

    private final ClusterOperations cluster;
    private final AdminPorts ports;
    private final OperationGuard guard;

    ClusterEndpoints(ClusterOperations cluster, AdminPorts ports, OperationGuard guard) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.ports = Objects.requireNonNull(ports, "ports");
        this.guard = Objects.requireNonNull(guard, "guard");
    }

    /** Body of {@code POST /switchover} and {@code /failover}: the node to promote, or none for the best candidate. */
    record TargetBody(String to) {
        static final TargetBody NONE = new TargetBody(null);
    }

    void register(Router router) {
        router.add(HttpMethod.GET, AdminRoutes.API + "/cluster", Access.READ, request -> done(cluster()));
        router.add(HttpMethod.GET, AdminRoutes.API + "/events", Access.READ, request -> done(events(request)));
        router.add(HttpMethod.POST, AdminRoutes.API + "/switchover", Access.MUTATE,
                request -> promote(request, "switchover", cluster::switchover));
        router.add(HttpMethod.POST, AdminRoutes.API + "/failover", Access.MUTATE,
                request -> promote(request, "failover", cluster::failover));
        router.add(HttpMethod.POST, AdminRoutes.API + "/nodes/{name}/fence", Access.MUTATE,
                request -> command(request, "fence", cluster::fence));
        router.add(HttpMethod.POST, AdminRoutes.API + "/nodes/{name}/unfence", Access.MUTATE,
                request -> command(request, "unfence", cluster::unfence));
        router.add(HttpMethod.POST, AdminRoutes.API + "/nodes/{name}/drain", Access.MUTATE,
                request -> done(drain(request)));
    }

    private ApiResponse cluster() {
        return ApiResponse.ok(Views.cluster(cluster.topology().current(), cluster.failoverMode().configName(),
                ports.traffic().paused(), guard.view(), ports.drain().draining(), ports.stats().backendSessions()));
    }

    /** {@code since}: a sequence number (events after it) or an ISO-8601 time with offset (events at or after it). */
    private ApiResponse events(ApiRequest request) {
        EventLog log = cluster.events();
        long last = log.lastSequence();
        Optional<String> since = request.queryParameter("since");
        List<ClusterEvent> events;
        if (since.isEmpty()) {
            events = log.all();
        } else if (since.get().chars().allMatch(Character::isDigit) && !since.get().isEmpty()) {
            try {
                events = log.since(Long.parseLong(since.get()));
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("since: sequence number out of range: " + since.get());
            }
        } else {
            events = log.since(parseTime(since.get()));
        }
        return ApiResponse.ok(Views.events(last, events));
    }

    private static Instant parseTime(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("since: neither an event sequence number nor an ISO-8601 time with offset"
                    + " (e.g. 2025-01-31T12:00:00Z): " + text);
        }
    }

    private CompletableFuture<ApiResponse> promote(ApiRequest request, String operation,
            Function<Optional<String>, CompletableFuture<FailoverResult>> action) {
        Optional<String> target = Optional.ofNullable(request.bodyAs(TargetBody.class, TargetBody.NONE).to());
        target.ifPresent(this::requireNode);
        Runnable release = guard.claim(operation, "requested through the admin API by " + request.remoteAddress());
        CompletableFuture<FailoverResult> result;
        try {
            result = action.apply(target);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
        return result.whenComplete((ignored, failure) -> release.run()).thenApply(done -> {
            if (!done.succeeded()) {
                throw ApiException.conflict(operation + " did not elect a new primary (" + Views.wireName(done.reason())
                        + "): " + done.message());
            }
            return ApiResponse.ok(Views.failover(operation, done));
        });
    }

    private CompletableFuture<ApiResponse> command(ApiRequest request, String command,
            Function<String, CompletableFuture<CommandResult>> action) {
        request.requireNoFields();
        String node = requireNode(request.pathParameter("name"));
        guard.requireNone(command + " of " + node);
        return action.apply(node).thenApply(result -> {
            if (!result.succeeded()) {
                throw ApiException.conflict(command + " of " + node + " refused: " + result.message());
            }
            return ApiResponse.ok(new NodeCommandView(node, command, result.message(), null));
        });
    }

    private ApiResponse drain(ApiRequest request) {
        request.requireNoFields();
        String node = requireNode(request.pathParameter("name"));
        int sessions = ports.drain().drain(node);
        return ApiResponse.ok(new NodeCommandView(node, "drain",
                node + " receives no new sessions; " + sessions + " session(s) still on it finish on their own",
                sessions));
    }

    private String requireNode(String name) {
        if (cluster.topology().current().node(name).isEmpty()) {
            throw ApiException.notFound("no backend named '" + name + "'");
        }
        return name;
    }

    static CompletableFuture<ApiResponse> done(ApiResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
