package io.pgwarden.admin.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.pgwarden.health.action.ActionKind;
import io.pgwarden.health.event.ClusterEvent;
import io.pgwarden.health.event.EventKind;
import io.pgwarden.health.event.EventLog;
import io.pgwarden.health.event.Outcome;
import io.pgwarden.health.event.Reason;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Failovers and switchovers as meters, derived from the event log: how many ended and how, how
 * long they took, and how long each phase took.
 *
 * <ul>
 *   <li><b>detect</b> (failovers only): from the event of the elected primary's first failed probe
 *       to {@code PRIMARY_LOST}, the loss confirmed;</li>
 *   <li><b>fence</b>: from {@code FAILOVER_STARTED} / {@code SWITCHOVER_STARTED} to the start of the
 *       first promote action: candidate choice, fencing of the old primary (for a switchover also
 *       the pause, the wait for idle sessions and the candidate's catch-up);</li>
 *   <li><b>promote</b>: from the start of the first promote action to {@code PRIMARY_ELECTED} (the
 *       candidate writable), failed candidates included;</li>
 *   <li><b>first-route</b>: from the election to the first session the proxy sends to the new
 *       primary, reported by the proxy through {@link #recordFirstRoute(String)}.</li>
 * </ul>
 *
 * Events arrive on the coordinator thread, first routes on a proxy thread: state is guarded by
 * this object's lock.
 */
public final class FailoverMeterBinder implements MeterBinder, AutoCloseable {

    static final List<String> KINDS = List.of("failover", "switchover");
    static final List<String> OUTCOMES = List.of("succeeded", "failed", "refused");

    private final EventLog events;
    private MeterRegistry registry;
    private Runnable subscription;

    /** When the elected primary's probes began to fail, per node; cleared by a successful probe. */
    private final Map<String, Instant> failingSince = new HashMap<>();
    private Optional<Run> run = Optional.empty();
    /** Volatile so that {@link #recordFirstRoute} needs no lock when nothing is awaited, the usual case. */
    private volatile Optional<Election> awaitingFirstRoute = Optional.empty();

    /** A failover or switchover in progress. */
    private record Run(String kind, Instant startedAt, Optional<Instant> promoteStartedAt) {
        Run promoting(Instant at) {
            return new Run(kind, startedAt, promoteStartedAt.or(() -> Optional.of(at)));
        }
    }

    /** A primary elected by a run, whose first routed session is awaited. */
    private record Election(String kind, String node, Instant at) {
    }

    public FailoverMeterBinder(EventLog events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        if (this.registry != null) {
            throw new IllegalStateException("bound already");
        }
        this.registry = registry;
        // Registered up front, so that dashboards and alerts see zeros before the first failover.
        for (String kind : KINDS) {
            for (String outcome : OUTCOMES) {
                Registration.counter(registry, PgwardenMeters.FAILOVERS, kind, outcome);
                if (!outcome.equals("refused")) {
                    duration(kind, outcome);
                }
            }
            for (String phase : phases(kind)) {
                phase(kind, phase);
            }
        }
        subscription = events.subscribe(this::onEvent);
    }

    private static List<String> phases(String kind) {
        return kind.equals("failover") ? List.of("detect", "fence", "promote", "first-route")
                : List.of("fence", "promote", "first-route");
    }

    private synchronized void onEvent(ClusterEvent event) {
        switch (event.kind()) {
            case NODE_HEALTH_CHANGED -> event.node().ifPresent(node -> {
                if (event.reason() == Reason.PROBE_SUCCEEDED) {
                    failingSince.remove(node);
                } else {
                    failingSince.putIfAbsent(node, event.time());
                }
            });
            case PRIMARY_LOST -> event.node().map(failingSince::get).ifPresent(since ->
                    phase("failover", "detect").record(ClusterMeterBinder.between(since, event.time())));
            case FAILOVER_STARTED -> run = Optional.of(new Run("failover", event.time(), Optional.empty()));
            case SWITCHOVER_STARTED -> run = Optional.of(new Run("switchover", event.time(), Optional.empty()));
            case ACTION_COMPLETED -> event.action().filter(action -> action.kind() == ActionKind.PROMOTE)
                    .ifPresent(action -> run = run.map(current -> current.promoting(event.time().minus(action.duration()))));
            case PRIMARY_ELECTED -> onElected(event);
            case FAILOVER_COMPLETED, FAILOVER_FAILED -> ended("failover", event);
            case SWITCHOVER_COMPLETED, SWITCHOVER_FAILED -> ended("switchover", event);
            default -> {
            }
        }
    }

    private void onElected(ClusterEvent event) {
        if (event.outcome() != Outcome.SUCCEEDED || event.node().isEmpty() || run.isEmpty()) {
            return;
        }
        Run current = run.get();
        Instant promoteStart = current.promoteStartedAt().orElse(event.time());
        phase(current.kind(), "fence").record(ClusterMeterBinder.between(current.startedAt(), promoteStart));
        phase(current.kind(), "promote").record(ClusterMeterBinder.between(promoteStart, event.time()));
        awaitingFirstRoute = Optional.of(new Election(current.kind(), event.node().get(), event.time()));
        failingSince.remove(event.node().get());
    }

    private void ended(String kind, ClusterEvent event) {
        String outcome = switch (event.outcome()) {
            case SUCCEEDED -> "succeeded";
            case REFUSED -> "refused";
            default -> "failed";
        };
        Registration.counter(registry, PgwardenMeters.FAILOVERS, kind, outcome).increment();
        // A refusal ends nothing that started: it is recorded instead of a start.
        if (event.outcome() == Outcome.REFUSED) {
            return;
        }
        run.filter(current -> current.kind().equals(kind)).ifPresent(current ->
                duration(kind, outcome).record(ClusterMeterBinder.between(current.startedAt(), event.time())));
        run = Optional.empty();
    }

    /**
     * The proxy routed a session to {@code node}. The first one after a failover or switchover
     * elected {@code node} ends that run's first-route phase; any other call costs one volatile
     * read, so the proxy may call it for every session it routes to a primary.
     */
    public void recordFirstRoute(String node, Instant routedAt) {
        if (awaitingFirstRoute.isEmpty()) {
            return;
        }
        synchronized (this) {
            Optional<Election> awaited = awaitingFirstRoute;
            if (awaited.isEmpty() || !awaited.get().node().equals(node)) {
                return;
            }
            awaitingFirstRoute = Optional.empty();
            phase(awaited.get().kind(), "first-route")
                    .record(ClusterMeterBinder.between(awaited.get().at(), routedAt));
        }
    }

    private io.micrometer.core.instrument.Timer duration(String kind, String outcome) {
        return Registration.timer(registry, PgwardenMeters.FAILOVER_DURATION, PgwardenMeters.FAILOVER_BUCKETS, kind,
                outcome);
    }

    private io.micrometer.core.instrument.Timer phase(String kind, String phase) {
        return Registration.timer(registry, PgwardenMeters.FAILOVER_PHASE, PgwardenMeters.FAILOVER_BUCKETS, kind, phase);
    }

    @Override
    public synchronized void close() {
        if (subscription != null) {
            subscription.run();
        }
    }
}
