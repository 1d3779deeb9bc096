package io.pgwarden.health.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgwarden.health.FakeTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventLogTest {

    private final FakeTimeSource time = new FakeTimeSource();

    private ClusterEvent record(EventLog log, String node) {
        time.advance(Duration.ofSeconds(1));
        return log.record(1, EventKind.NODE_HEALTH_CHANGED, Optional.of(node), Reason.PROBE_FAILED, Outcome.OBSERVED,
                "UP -> SUSPECT", Optional.empty());
    }

    @Test
    void keepsOnlyTheLatestEventsWithGaplessSequenceNumbers() {
        EventLog log = new EventLog(3, time);
        for (int i = 1; i <= 5; i++) {
            record(log, "pg" + i);
        }
        assertThat(log.all()).extracting(ClusterEvent::sequence).containsExactly(3L, 4L, 5L);
        assertThat(log.lastSequence()).isEqualTo(5);
    }

    @Test
    void answersSinceASequenceNumberOrATime() {
        EventLog log = new EventLog(10, time);
        record(log, "pg1");
        Instant second = record(log, "pg2").time();
        record(log, "pg3");
        assertThat(log.since(1L)).extracting(ClusterEvent::node).containsExactly(Optional.of("pg2"), Optional.of("pg3"));
        assertThat(log.since(second)).extracting(ClusterEvent::sequence).containsExactly(2L, 3L);
        assertThat(log.since(3L)).isEmpty();
    }

    @Test
    void listenersSeeEveryNewEvent() {
        EventLog log = new EventLog(10, time);
        List<Long> seen = new ArrayList<>();
        Runnable unsubscribe = log.subscribe(event -> seen.add(event.sequence()));
        record(log, "pg1");
        record(log, "pg2");
        unsubscribe.run();
        record(log, "pg3");
        assertThat(seen).containsExactly(1L, 2L);
    }
}
