package io.pgwarden.admin.api;

import io.pgwarden.admin.api.view.ClusterView;
import io.pgwarden.admin.http.ApiException;
import io.pgwarden.health.event.ClusterEvent;
import io.pgwarden.health.event.EventLog;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Refuses operations that would conflict with one under way (409). Two sources: the event log
 * (an automatic failover, or any switchover, runs from its {@code *_STARTED} event to its
 * {@code *_COMPLETED} / {@code *_FAILED} event), and the admin API itself (a switchover, failover
 * or reload it has accepted and not yet answered; the coordinator may not have started it yet).
 */
final class OperationGuard implements AutoCloseable {

    /** An operation under way. */
    record Running(String kind, Instant since, String requestedBy) {
        String describe() {
            return "a " + kind + " is in progress (since " + since + ", " + requestedBy + ")";
        }
    }

    private final Clock clock;
    private final AtomicReference<Running> fromApi = new AtomicReference<>();
    private volatile Running fromEvents;
    private final Runnable subscription;

    OperationGuard(EventLog events, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.subscription = events.subscribe(this::onEvent);
    }

    private void onEvent(ClusterEvent event) {
        switch (event.kind()) {
            case FAILOVER_STARTED -> fromEvents = new Running("failover", event.time(), "event #" + event.sequence());
            case SWITCHOVER_STARTED -> fromEvents = new Running("switchover", event.time(), "event #" + event.sequence());
            case FAILOVER_COMPLETED, FAILOVER_FAILED, SWITCHOVER_COMPLETED, SWITCHOVER_FAILED -> fromEvents = null;
            default -> {
            }
        }
    }

    /** The operation under way, if any. */
    Optional<Running> running() {
        Running api = fromApi.get();
        return Optional.ofNullable(api != null ? api : fromEvents);
    }

    Optional<ClusterView.OperationView> view() {
        return running().map(op -> new ClusterView.OperationView(op.kind(), op.since().toString(), op.requestedBy()));
    }

    /** @throws ApiException 409 when an operation is under way */
    void requireNone(String what) {
        running().ifPresent(op -> {
            throw ApiException.conflict(what + " refused: " + op.describe());
        });
    }

    /**
     * Claims the slot for {@code kind} until the returned action runs.
     *
     * @throws ApiException 409 when an operation is under way
     */
    Runnable claim(String kind, String requestedBy) {
        requireNone(kind);
        Running mine = new Running(kind, clock.instant(), requestedBy);
        if (!fromApi.compareAndSet(null, mine)) {
            requireNone(kind);
            throw ApiException.conflict(kind + " refused: another operation was accepted at the same moment");
        }
        return () -> fromApi.compareAndSet(mine, null);
    }

    @Override
    public void close() {
        subscription.run();
    }
}
