package io.pgwarden.server.chaos;

import io.pgwarden.health.event.ClusterEvent;
import io.pgwarden.health.event.EventKind;
import io.pgwarden.health.event.Outcome;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When each node was allowed to take writes, as pgwarden's own event history tells: from the
 * event that elected it primary until the event that fenced it. pgwarden routes write sessions
 * to a node only after electing it, and the fence is recorded before its sessions are ended, so
 * every row a client wrote through pgwarden must carry a server timestamp inside a window of the
 * server that wrote it.
 *
 * <p>Server timestamps have microsecond resolution; window starts are rounded down to it, so a
 * row inserted in the same microsecond as the election is not taken for an early write.
 */
final class WriteWindows {

    /** One primary term: {@code until} is empty while the node is still the elected primary. */
    record Window(String node, long epoch, Instant from, Optional<Instant> until) {

        boolean contains(Instant at) {
            return !at.isBefore(from.truncatedTo(ChronoUnit.MICROS)) && until.map(end -> !at.isAfter(end)).orElse(true);
        }

        @Override
        public String toString() {
            return node + "@" + epoch + " [" + from + ", " + until.map(Instant::toString).orElse("now") + "]";
        }
    }

    private final List<Window> windows;
    private final List<String> overlaps;
    private final Map<String, List<Instant>> fences;

    private WriteWindows(List<Window> windows, List<String> overlaps, Map<String, List<Instant>> fences) {
        this.windows = List.copyOf(windows);
        this.overlaps = List.copyOf(overlaps);
        this.fences = fences;
    }

    /** The windows that {@code events} (in sequence order) describe. */
    static WriteWindows of(List<ClusterEvent> events) {
        List<Window> closed = new ArrayList<>();
        List<String> overlaps = new ArrayList<>();
        Map<String, List<Instant>> fences = new LinkedHashMap<>();
        Map<String, Window> open = new LinkedHashMap<>();
        for (ClusterEvent event : events) {
            if (event.node().isEmpty()) {
                continue;
            }
            String node = event.node().get();
            if (event.kind() == EventKind.PRIMARY_ELECTED && event.outcome() == Outcome.SUCCEEDED) {
                for (Window other : open.values()) {
                    if (!other.node().equals(node)) {
                        overlaps.add(node + " elected at epoch " + event.epoch() + " (" + event.time() + ") while "
                                + other + " was never fenced");
                    }
                }
                open.computeIfAbsent(node, name -> new Window(name, event.epoch(), event.time(), Optional.empty()));
            } else if (event.kind() == EventKind.NODE_FENCED) {
                fences.computeIfAbsent(node, name -> new ArrayList<>()).add(event.time());
                Window term = open.remove(node);
                if (term != null) {
                    closed.add(new Window(node, term.epoch(), term.from(), Optional.of(event.time())));
                }
            }
        }
        closed.addAll(open.values());
        return new WriteWindows(closed, overlaps, fences);
    }

    /** Whether {@code node} was the elected, unfenced primary at {@code at}. */
    boolean permits(String node, Instant at) {
        return windows.stream().anyMatch(window -> window.node().equals(node) && window.contains(at));
    }

    /** Elections of a node while another one was still the unfenced primary. */
    List<String> overlaps() {
        return overlaps;
    }

    /** Why a write on {@code node} at {@code at} is outside every window, for the report. */
    String explain(String node, Instant at) {
        Optional<Instant> lastFence = fences.getOrDefault(node, List.of()).stream()
                .filter(fence -> fence.isBefore(at)).max(Instant::compareTo);
        List<Window> terms = windows.stream().filter(window -> window.node().equals(node)).toList();
        return lastFence.map(fence -> "after pgwarden fenced " + node + " at " + fence).orElse("while " + node
                + " was not the elected primary") + "; its terms: " + terms;
    }

    List<Window> windows() {
        return windows;
    }
}
