package io.pgwarden.admin.api;

import io.pgwarden.admin.http.Router;
import io.pgwarden.admin.metrics.PgwardenMetrics;
import io.pgwarden.admin.port.AdminPorts;
import io.pgwarden.admin.port.ClusterOperations;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Every route of the admin API. Version 1 lives under {@link #API}; the probes also at the root,
 * and {@code /metrics} at the root only, where Prometheus looks by default.
 */
public final class AdminRoutes implements AutoCloseable {

    public static final String API = "/api/v1";

    private final Router router = new Router();
    private final OperationGuard guard;

    /**
     * @param worker runs what may take a while (reload, metrics scrape), off the event loop
     */
    public AdminRoutes(ClusterOperations cluster, AdminPorts ports, PgwardenMetrics metrics, Executor worker,
            Clock clock) {
        Objects.requireNonNull(cluster, "cluster");
        this.guard = new OperationGuard(cluster.events(), clock);
        new ClusterEndpoints(cluster, ports, guard).register(router);
        new ProxyEndpoints(ports, guard, clock).register(router);
        new ServiceEndpoints(cluster, ports, metrics, guard, worker).register(router);
    }

    public Router router() {
        return router;
    }

    @Override
    public void close() {
        guard.close();
    }
}
