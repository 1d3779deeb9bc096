package io.pgwarden.admin.api;

import io.netty.handler.codec.http.HttpMethod;
import io.pgwarden.admin.api.view.SessionEndedView;
import io.pgwarden.admin.api.view.SessionsView;
import io.pgwarden.admin.api.view.TrafficView;
import io.pgwarden.admin.http.Access;
import io.pgwarden.admin.http.ApiException;
import io.pgwarden.admin.http.ApiRequest;
import io.pgwarden.admin.http.ApiResponse;
import io.pgwarden.admin.http.Router;
import io.pgwarden.admin.port.AdminPorts;
import io.pgwarden.admin.port.ClientSession;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/** The proxy endpoints: client sessions, pause and resume. */
final class ProxyEndpoints {

    private final AdminPorts ports;
    private final OperationGuard guard;
    private final Clock clock;

    ProxyEndpoints(AdminPorts ports, OperationGuard guard, Clock clock) {
        this.ports = Objects.requireNonNull(ports, "ports");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    void register(Router router) {
        router.add(HttpMethod.GET, AdminRoutes.API + "/sessions", Access.READ,
                request -> ClusterEndpoints.done(sessions()));
        router.add(HttpMethod.DELETE, AdminRoutes.API + "/sessions/{id}", Access.MUTATE,
                request -> ClusterEndpoints.done(terminate(request)));
        router.add(HttpMethod.POST, AdminRoutes.API + "/pause", Access.MUTATE,
                request -> ClusterEndpoints.done(traffic(request, true)));
        router.add(HttpMethod.POST, AdminRoutes.API + "/resume", Access.MUTATE,
                request -> ClusterEndpoints.done(traffic(request, false)));
    }

    private ApiResponse sessions() {
        Instant now = clock.instant();
        return ApiResponse.ok(new SessionsView(ports.sessions().sessions().stream()
                .sorted(Comparator.comparing(ClientSession::openedAt).thenComparingLong(ClientSession::id))
                .map(session -> Views.session(session, now))
                .toList()));
    }

    private ApiResponse terminate(ApiRequest request) {
        String text = request.pathParameter("id");
        long id;
        try {
            id = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("no session with id '" + text + "': session ids are numbers");
        }
        if (!ports.sessions().terminate(id)) {
            throw ApiException.notFound("no session with id " + id);
        }
        return ApiResponse.ok(new SessionEndedView(id, true));
    }

    /**
     * Pause and resume are refused during a switchover: the coordinator holds and releases the
     * same gate, and an operator's resume in the middle would let writes reach the old primary.
     */
    private ApiResponse traffic(ApiRequest request, boolean pause) {
        request.requireNoFields();
        guard.requireNone(pause ? "pause" : "resume");
        if (pause) {
            ports.traffic().pause();
        } else {
            ports.traffic().resume();
        }
        return ApiResponse.ok(new TrafficView(ports.traffic().paused()));
    }
}
