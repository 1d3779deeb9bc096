package io.pgwarden.health.failover;

import io.pgwarden.config.BackendSettings;
import io.pgwarden.health.action.ActionKind;
import io.pgwarden.health.action.ActionRequest;
import io.pgwarden.health.action.ActionResult;
import io.pgwarden.health.action.FailoverAction;
import io.pgwarden.health.event.ClusterEvent;
import io.pgwarden.health.event.EventKind;
import io.pgwarden.health.event.EventLog;
import io.pgwarden.health.event.Outcome;
import io.pgwarden.health.event.Reason;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@code on-state-change} action for every event that changes what the cluster looks
 * like (health, role, fence, election, rogue primary, failover end), one at a time, on its own
 * thread so a slow hook never delays the coordinator. When hooks fall more than
 * {@link #QUEUE_CAPACITY} behind, further events are dropped from the hook (not from the event log).
 */
public final class StateChangeHook implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StateChangeHook.class);

    static final int QUEUE_CAPACITY = 100;

    private static final Set<EventKind> STATE_CHANGES = EnumSet.of(
            EventKind.NODE_HEALTH_CHANGED, EventKind.NODE_ROLE_CHANGED, EventKind.PRIMARY_ELECTED,
            EventKind.PRIMARY_LOST, EventKind.NODE_FENCED, EventKind.NODE_UNFENCED, EventKind.ROGUE_PRIMARY,
            EventKind.FAILOVER_COMPLETED, EventKind.FAILOVER_FAILED, EventKind.SWITCHOVER_COMPLETED,
            EventKind.NODE_ADDED, EventKind.NODE_REMOVED, EventKind.NODE_CHANGED);

    private final FailoverAction action;
    private final Duration timeout;
    private final EventLog events;
    private volatile Map<String, BackendSettings> backends;
    private final ThreadPoolExecutor executor;
    private final Runnable unsubscribe;

    public StateChangeHook(FailoverAction action, Duration timeout, EventLog events, List<BackendSettings> backends) {
        this.action = Objects.requireNonNull(action, "action");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.events = Objects.requireNonNull(events, "events");
        backends(backends);
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE_CAPACITY),
                runnable -> {
                    Thread thread = new Thread(runnable, "pgwarden-on-state-change");
                    thread.setDaemon(true);
                    return thread;
                });
        this.unsubscribe = events.subscribe(this::onEvent);
    }

    /** The backends the hook describes to its action from now on (a reload changed them). */
    public void backends(List<BackendSettings> backends) {
        this.backends = backends.stream()
                .collect(Collectors.toUnmodifiableMap(BackendSettings::name, backend -> backend));
    }

    private void onEvent(ClusterEvent event) {
        if (!STATE_CHANGES.contains(event.kind()) || event.outcome() == Outcome.REFUSED
                && event.kind() == EventKind.PRIMARY_ELECTED) {
            return;
        }
        // Looked up now, as the event is recorded: a reload may have forgotten the node by the time the hook runs.
        Optional<BackendSettings> node = event.node().map(backends::get);
        try {
            executor.execute(() -> run(event, node));
        } catch (RejectedExecutionException e) {
            log.warn("on-state-change hook is {} events behind; not run for event #{}", QUEUE_CAPACITY,
                    event.sequence());
        }
    }

    private void run(ClusterEvent event, Optional<BackendSettings> node) {
        ActionRequest request = new ActionRequest(ActionKind.ON_STATE_CHANGE,
                FailoverCoordinator.wireName(event.kind()), FailoverCoordinator.wireName(event.reason()),
                event.epoch(), event.time(), node, Optional.empty(), Optional.empty(),
                timeout, Map.of("sequence", Long.toString(event.sequence()),
                        "outcome", FailoverCoordinator.wireName(event.outcome()),
                        "message", event.message()));
        ActionResult result = action.run(request);
        events.record(event.epoch(), EventKind.ACTION_COMPLETED, event.node(), Reason.STATE_CHANGED,
                result.succeeded() ? Outcome.SUCCEEDED : Outcome.FAILED,
                "on-state-change for event #" + event.sequence() + " " + event.kind(), Optional.of(result));
    }

    @Override
    public void close() {
        unsubscribe.run();
        executor.shutdownNow();
    }
}
