package io.pgwarden.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgwarden.config.BackendSettings;
import io.pgwarden.config.BackendTlsSettings;
import io.pgwarden.config.FailoverSettings;
import io.pgwarden.config.HealthSettings;
import io.pgwarden.config.MonitorSettings;
import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.health.action.ActionKind;
import io.pgwarden.health.action.ActionSet;
import io.pgwarden.health.event.EventLog;
import io.pgwarden.health.failover.CommandResult;
import io.pgwarden.health.failover.FailoverCoordinator;
import io.pgwarden.health.failover.FailoverResult;
import io.pgwarden.health.failover.JdbcNodeControl;
import io.pgwarden.health.failover.SessionTerminator;
import io.pgwarden.health.failover.StateChangeHook;
import io.pgwarden.health.failover.TrafficGate;
import io.pgwarden.health.probe.JdbcNodeProbe;
import io.pgwarden.health.probe.MonitorConnector;
import io.pgwarden.health.probe.NodeProbe;
import io.pgwarden.health.probe.ProbeScheduler;
import io.pgwarden.health.state.ClusterState;
import io.pgwarden.health.state.FileStateStore;
import io.pgwarden.health.state.StateStore;
import io.pgwarden.health.topology.TopologySource;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health module put together: a probe thread per backend feeding one coordinator thread,
 * which owns the {@link FailoverCoordinator}. This is what the server wires and what the proxy
 * and the admin API talk to. Operator commands are queued on the coordinator thread and answered
 * through futures.
 */
public final class ClusterMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterMonitor.class);

    /** Events kept in memory for the admin API. */
    public static final int EVENT_HISTORY = 1000;

    private final FailoverCoordinator coordinator;
    private final ProbeScheduler probes;
    private final ExecutorService coordinatorThread;
    private final StateChangeHook stateChangeHook;
    private final AutoCloseable resources;

    /**
     * Wires everything from the configuration: monitor connections, JDBC probes, the state file,
     * the configured actions (with {@code java:} providers from the class path).
     *
     * @param terminator ends proxy sessions on a fenced node (the proxy; or {@link SessionTerminator#NONE})
     * @param gate holds transactions during a switchover (the proxy; or {@link TrafficGate#NONE})
     */
    public static ClusterMonitor create(PgwardenSettings settings, SessionTerminator terminator, TrafficGate gate) {
        return create(settings.backends(), settings.monitor(), settings.tls().backend(), settings.health(),
                settings.failover(), terminator, gate);
    }

    /** {@link #create(PgwardenSettings, SessionTerminator, TrafficGate)} from the sections it uses. */
    public static ClusterMonitor create(
            List<BackendSettings> backends, MonitorSettings monitor, BackendTlsSettings tls, HealthSettings health,
            FailoverSettings failover, SessionTerminator terminator, TrafficGate gate) {
        TimeSource time = TimeSource.system();
        MonitorConnector connector = new MonitorConnector(monitor, tls, health.connectTimeout());
        ObjectMapper json = new ObjectMapper();
        StateStore store = new FileStateStore(failover.stateFile(), json, time);
        ActionSet actions = ActionSet.fromSettings(failover, connector);
        EventLog events = new EventLog(EVENT_HISTORY, time);
        FailoverCoordinator coordinator = new FailoverCoordinator(backends, health, failover, store, actions,
                new JdbcNodeControl(connector, failover.fence().timeout(), time), terminator, gate, events, time);
        Map<String, NodeProbe> probes = new LinkedHashMap<>();
        for (BackendSettings backend : backends) {
            probes.put(backend.name(), new JdbcNodeProbe(backend, connector, health.timeout(), time));
        }
        StateChangeHook hook = actions.configured(ActionKind.ON_STATE_CHANGE)
                ? new StateChangeHook(actions.get(ActionKind.ON_STATE_CHANGE), failover.onStateChange().timeout(),
                        events, backends)
                : null;
        return new ClusterMonitor(coordinator, probes, health.interval(), hook, connector);
    }

    /**
     * Wires given parts, for tests and embedding.
     *
     * @param stateChangeHook may be null
     * @param resources closed last, e.g. the {@link MonitorConnector}; may be null
     */
    public ClusterMonitor(
            FailoverCoordinator coordinator, Map<String, NodeProbe> probes, Duration interval,
            StateChangeHook stateChangeHook, AutoCloseable resources) {
        this.coordinator = Objects.requireNonNull(coordinator, "coordinator");
        this.coordinatorThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pgwarden-coordinator");
            thread.setDaemon(true);
            return thread;
        });
        this.probes = new ProbeScheduler(probes, interval,
                (name, outcome) -> coordinatorThread.execute(() -> coordinator.onProbe(name, outcome)));
        this.stateChangeHook = stateChangeHook;
        this.resources = resources;
    }

    /**
     * Reads the state store and starts probing.
     *
     * @throws IOException if the state store cannot be read; nothing is started then
     */
    public void start() throws IOException {
        try {
            coordinatorThread.submit(() -> {
                coordinator.start();
                return null;
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        }
        probes.start();
    }

    public TopologySource topology() {
        return coordinator.topology();
    }

    public EventLog events() {
        return coordinator.events();
    }

    /** The persisted state (epoch, elected primary, fenced nodes), read on the coordinator thread. */
    public CompletableFuture<ClusterState> clusterState() {
        return onCoordinator(coordinator::clusterState);
    }

    /** Operator-triggered failover, optionally to {@code candidate}. */
    public CompletableFuture<FailoverResult> failover(Optional<String> candidate) {
        return onCoordinator(() -> coordinator.failover(candidate));
    }

    /** Planned switchover to {@code candidate}, or the best standby. */
    public CompletableFuture<FailoverResult> switchover(Optional<String> candidate) {
        return onCoordinator(() -> coordinator.switchover(candidate));
    }

    public CompletableFuture<CommandResult> fence(String node) {
        return onCoordinator(() -> coordinator.fence(node));
    }

    public CompletableFuture<CommandResult> unfence(String node) {
        return onCoordinator(() -> coordinator.unfence(node));
    }

    private <T> CompletableFuture<T> onCoordinator(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, coordinatorThread);
    }

    @Override
    public void close() {
        probes.close();
        coordinatorThread.shutdownNow();
        try {
            if (!coordinatorThread.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("coordinator thread did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stateChangeHook != null) {
            stateChangeHook.close();
        }
        if (resources != null) {
            try {
                resources.close();
            } catch (Exception e) {
                log.warn("could not release health resources", e);
            }
        }
    }
}
