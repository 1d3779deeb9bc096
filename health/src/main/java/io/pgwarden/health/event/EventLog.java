package io.pgwarden.health.event;

import io.pgwarden.health.TimeSource;
import io.pgwarden.health.action.ActionResult;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded history of cluster events: the latest {@code capacity} are kept, older ones are
 * dropped (the log file keeps them all). Every event is logged as it is recorded: failures,
 * refusals, rogue primaries and primary loss at WARN, the rest at INFO.
 */
public final class EventLog {

    private static final Logger log = LoggerFactory.getLogger(EventLog.class);

    private final int capacity;
    private final TimeSource time;
    private final Deque<ClusterEvent> history = new ArrayDeque<>();
    private final List<Consumer<ClusterEvent>> listeners = new CopyOnWriteArrayList<>();
    private long lastSequence;

    public EventLog(int capacity, TimeSource time) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        this.capacity = capacity;
        this.time = Objects.requireNonNull(time, "time");
    }

    /** Records an event, logs it, and hands it to the listeners. */
    public ClusterEvent record(
            long epoch, EventKind kind, Optional<String> node, Reason reason, Outcome outcome, String message,
            Optional<ActionResult> action) {
        ClusterEvent event;
        synchronized (this) {
            event = new ClusterEvent(++lastSequence, time.now(), epoch, kind, node, reason, outcome, message, action);
            history.addLast(event);
            if (history.size() > capacity) {
                history.removeFirst();
            }
        }
        if (outcome == Outcome.FAILED || outcome == Outcome.REFUSED || kind == EventKind.ROGUE_PRIMARY
                || kind == EventKind.PRIMARY_LOST) {
            log.warn("{}", event.summary());
        } else {
            log.info("{}", event.summary());
        }
        action.filter(result -> !result.output().isEmpty())
                .ifPresent(result -> log.info("output of {}: {}", result.description(), result.output()));
        for (Consumer<ClusterEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                log.error("event listener {} failed on event #{}", listener, event.sequence(), e);
            }
        }
        return event;
    }

    /** Events with a sequence number greater than {@code sequence}, oldest first. */
    public synchronized List<ClusterEvent> since(long sequence) {
        List<ClusterEvent> events = new ArrayList<>();
        for (ClusterEvent event : history) {
            if (event.sequence() > sequence) {
                events.add(event);
            }
        }
        return events;
    }

    /** Events recorded at or after {@code instant}, oldest first. */
    public synchronized List<ClusterEvent> since(Instant instant) {
        List<ClusterEvent> events = new ArrayList<>();
        for (ClusterEvent event : history) {
            if (!event.time().isBefore(instant)) {
                events.add(event);
            }
        }
        return events;
    }

    /** Every event still held, oldest first. */
    public List<ClusterEvent> all() {
        return since(0L);
    }

    /** Sequence number of the latest event, 0 before the first. */
    public synchronized long lastSequence() {
        return lastSequence;
    }

    /**
     * Calls {@code listener} with every event recorded from now on, on the recording thread
     * (for metrics and notifications; must not block).
     */
    public Runnable subscribe(Consumer<ClusterEvent> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return () -> listeners.remove(listener);
    }
}
