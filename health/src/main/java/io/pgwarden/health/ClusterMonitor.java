package io.pgwarden.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgwarden.config.BackendSettings;
import io.pgwarden.config.BackendTlsSettings;
import io.pgwarden.config.ConfigProblem;
import io.pgwarden.config.FailoverSettings;
import io.pgwarden.config.HealthSettings;
import io.pgwarden.config.InvalidConfigException;
import io.pgwarden.config.MonitorSettings;
import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.health.action.ActionKind;
import io.pgwarden.health.action.ActionSet;
import io.pgwarden.health.event.EventLog;
import io.pgwarden.health.failover.CommandResult;
import io.pgwarden.health.failover.FailoverCoordinator;
import io.pgwarden.health.failover.FailoverResult;
import io.pgwarden.health.failover.JdbcNodeControl;
import io.pgwarden.health.failover.NodeControl;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    private final MonitorConnector connector;
    private final TimeSource time;
    private final EventLog events;
    private volatile StateChangeHook stateChangeHook;

    // The settings in force; replaced by reconfigure, under this object's lock.
    private volatile List<BackendSettings> backends;
    private volatile HealthSettings health;
    private volatile FailoverSettings failover;
    private ActionSet actions;
    private NodeControl control;

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
        return new ClusterMonitor(List.copyOf(backends), new MonitorConnector(monitor, tls, health.connectTimeout()),
                health, failover, terminator, gate, TimeSource.system());
    }

    private ClusterMonitor(
            List<BackendSettings> backends, MonitorConnector connector, HealthSettings health,
            FailoverSettings failover, SessionTerminator terminator, TrafficGate gate, TimeSource time) {
        this.connector = connector;
        this.time = time;
        this.backends = backends;
        this.health = health;
        this.failover = failover;
        this.events = new EventLog(EVENT_HISTORY, time);
        this.actions = ActionSet.fromSettings(failover, connector);
        this.control = new JdbcNodeControl(connector, failover.fence().timeout(), time);
        StateStore store = new FileStateStore(failover.stateFile(), new ObjectMapper(), time);
        this.coordinator = new FailoverCoordinator(backends, health, failover, store, actions, control, terminator,
                gate, events, time);
        Map<String, NodeProbe> probes = new LinkedHashMap<>();
        for (BackendSettings backend : backends) {
            probes.put(backend.name(), probe(backend, health));
        }
        this.stateChangeHook = stateChangeHook(actions, failover, backends);
        this.coordinatorThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pgwarden-coordinator");
            thread.setDaemon(true);
            return thread;
        });
        this.probes = new ProbeScheduler(probes, health.interval(),
                (name, outcome) -> coordinatorThread.execute(() -> coordinator.onProbe(name, outcome)));
    }

    private NodeProbe probe(BackendSettings backend, HealthSettings health) {
        return new JdbcNodeProbe(backend, connector, health.timeout(), time);
    }

    private StateChangeHook stateChangeHook(ActionSet actions, FailoverSettings failover, List<BackendSettings> backends) {
        return actions.configured(ActionKind.ON_STATE_CHANGE)
                ? new StateChangeHook(actions.get(ActionKind.ON_STATE_CHANGE), failover.onStateChange().timeout(),
                        events, backends)
                : null;
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

    /**
     * Applies reloaded settings while running, without dropping sessions except those of
     * removed or moved backends: added backends are probed and join the topology, removed ones
     * leave it, health thresholds and failover policy and actions take effect for the next probe
     * and decision. Blocks until applied, waiting for a failover or switchover under way to end
     * first; call it off the coordinator thread. One reload at a time.
     *
     * <p>{@code failover.state-file} is not read again: the state stays where it was opened.
     *
     * @param backends every backend, in configuration order (names unique)
     * @throws InvalidConfigException when the change cannot be applied now, naming the key: the
     *     elected primary removed or moved to another address, an action whose {@code java:}
     *     provider is not on the class path. Nothing is changed then.
     */
    public synchronized void reconfigure(List<BackendSettings> backends, HealthSettings health,
            FailoverSettings failover) {
        List<BackendSettings> next = List.copyOf(backends);
        FailoverSettings before = this.failover;
        ActionSet nextActions = actions;
        if (!sameActions(before, failover)) {
            try {
                nextActions = ActionSet.fromSettings(failover, connector);
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException(List.of(actionProblem(e)));
            }
        }
        NodeControl nextControl = before.fence().timeout().equals(failover.fence().timeout()) ? control
                : new JdbcNodeControl(connector, failover.fence().timeout(), time);
        ActionSet applyActions = nextActions;
        StateChangeHook hook = stateChangeHook;
        if (hook != null) {
            // The events of the reload itself name added and removed backends alike.
            hook.backends(union(this.backends, next));
        }
        List<ConfigProblem> refused;
        try {
            refused = await(onCoordinator(
                    () -> coordinator.reconfigure(next, health, failover, applyActions, nextControl)));
        } finally {
            if (hook != null) {
                hook.backends(this.backends);
            }
        }
        if (!refused.isEmpty()) {
            throw new InvalidConfigException(refused);
        }
        connector.connectTimeout(health.connectTimeout());
        reschedule(this.backends, next, !this.health.timeout().equals(health.timeout()), health);
        probes.interval(health.interval());
        boolean hookChanged = !before.onStateChange().equals(failover.onStateChange());
        if (hookChanged) {
            if (hook != null) {
                hook.close();
            }
            stateChangeHook = stateChangeHook(nextActions, failover, next);
        } else if (hook != null) {
            hook.backends(next);
        }
        this.backends = next;
        this.health = health;
        this.failover = failover;
        this.actions = nextActions;
        this.control = nextControl;
    }

    /** Probes follow the backends: removed ones stop, added ones start, moved ones start anew. */
    private void reschedule(List<BackendSettings> before, List<BackendSettings> after, boolean newDeadline,
            HealthSettings health) {
        Map<String, BackendSettings> previous = new LinkedHashMap<>();
        before.forEach(backend -> previous.put(backend.name(), backend));
        Set<String> kept = new HashSet<>();
        after.forEach(backend -> kept.add(backend.name()));
        for (String name : previous.keySet()) {
            if (!kept.contains(name)) {
                probes.remove(name);
            }
        }
        for (BackendSettings backend : after) {
            BackendSettings old = previous.get(backend.name());
            if (old == null) {
                probes.add(backend.name(), probe(backend, health));
            } else if (newDeadline || !old.host().equals(backend.host()) || old.port() != backend.port()) {
                probes.replace(backend.name(), probe(backend, health));
            }
        }
    }

    private static List<BackendSettings> union(List<BackendSettings> before, List<BackendSettings> after) {
        Map<String, BackendSettings> byName = new LinkedHashMap<>();
        before.forEach(backend -> byName.put(backend.name(), backend));
        after.forEach(backend -> byName.put(backend.name(), backend));
        return List.copyOf(byName.values());
    }

    private static boolean sameActions(FailoverSettings a, FailoverSettings b) {
        return a.promote().equals(b.promote()) && a.fence().equals(b.fence()) && a.follow().equals(b.follow())
                && a.rejoin().equals(b.rejoin()) && a.onStateChange().equals(b.onStateChange());
    }

    /** ActionSet names the key first: {@code pgwarden.failover.promote.command: no ... named "x" ...}. */
    private static ConfigProblem actionProblem(IllegalArgumentException e) {
        String message = String.valueOf(e.getMessage());
        int colon = message.indexOf(": ");
        if (message.startsWith("pgwarden.") && colon > 0) {
            return new ConfigProblem(message.substring(0, colon), Optional.empty(), message.substring(colon + 2),
                    Optional.empty());
        }
        return new ConfigProblem("pgwarden.failover", Optional.empty(), message, Optional.empty());
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the coordinator", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The backends in force, in configuration order. */
    public List<BackendSettings> backends() {
        return backends;
    }

    /** The probing settings in force. */
    public HealthSettings healthSettings() {
        return health;
    }

    /** The failover settings in force (the failover mode among them). */
    public FailoverSettings failoverSettings() {
        return failover;
    }

    /** The time between two probes of a backend, as the probe threads use it now. */
    public Duration probeInterval() {
        return probes.interval();
    }

    /** The backends probed now. */
    public Set<String> probedBackends() {
        return probes.names();
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
        StateChangeHook hook = stateChangeHook;
        if (hook != null) {
            hook.close();
        }
        connector.close();
    }
}
