package io.pgwarden.health.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The schedule changes while it runs, as a reload asks: backends come and go, the interval changes. */
class ProbeSchedulerTest {

    private static final Duration FAST = Duration.ofMillis(20);

    /** A probe that answers at once and counts its calls. */
    private static final class CountingProbe implements NodeProbe {
        final AtomicInteger probes = new AtomicInteger();
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public ProbeOutcome probe() {
            probes.incrementAndGet();
            return new ProbeFailure(Instant.now(), Duration.ZERO, ProbeFailure.Kind.CONNECT_FAILED, "refused");
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    private final List<String> delivered = new CopyOnWriteArrayList<>();

    private ProbeScheduler scheduler(Map<String, NodeProbe> probes, Duration interval) {
        return new ProbeScheduler(probes, interval, (name, outcome) -> delivered.add(name));
    }

    private long deliveredFor(String name) {
        return delivered.stream().filter(name::equals).count();
    }

    @Test
    void aBackendAddedWhileRunningIsProbedAtOnceAndThenEveryInterval() {
        CountingProbe pg1 = new CountingProbe();
        CountingProbe pg2 = new CountingProbe();
        try (ProbeScheduler scheduler = scheduler(Map.of("pg1", pg1), FAST)) {
            scheduler.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> deliveredFor("pg1") >= 3);
            assertThat(deliveredFor("pg2")).isZero();

            scheduler.add("pg2", pg2);

            await().atMost(Duration.ofSeconds(5)).until(() -> deliveredFor("pg2") >= 3);
            assertThat(scheduler.names()).containsExactlyInAnyOrder("pg1", "pg2");
        }
    }

    @Test
    void aBackendAddedBeforeStartWaitsForStart() {
        CountingProbe pg1 = new CountingProbe();
        try (ProbeScheduler scheduler = scheduler(Map.of(), FAST)) {
            scheduler.add("pg1", pg1);
            await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> pg1.probes.get() == 0);

            scheduler.start();

            await().atMost(Duration.ofSeconds(5)).until(() -> deliveredFor("pg1") >= 1);
        }
    }

    @Test
    void addingANameProbedAlreadyIsRefused() {
        try (ProbeScheduler scheduler = scheduler(Map.of("pg1", new CountingProbe()), FAST)) {
            CountingProbe second = new CountingProbe();
            assertThatThrownBy(() -> scheduler.add("pg1", second))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("pg1");
        }
    }

    @Test
    void aRemovedBackendIsClosedAndDeliversNothingAfterRemoveReturns() {
        CountingProbe pg1 = new CountingProbe();
        CountingProbe pg2 = new CountingProbe();
        try (ProbeScheduler scheduler = scheduler(Map.of("pg1", pg1, "pg2", pg2), FAST)) {
            scheduler.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> deliveredFor("pg2") >= 2);

            scheduler.remove("pg2");
            long afterRemove = deliveredFor("pg2");

            assertThat(pg2.closed).isTrue();
            assertThat(scheduler.names()).containsExactly("pg1");
            long pg1Before = deliveredFor("pg1");
            await().atMost(Duration.ofSeconds(5)).until(() -> deliveredFor("pg1") >= pg1Before + 5);
            assertThat(deliveredFor("pg2")).isEqualTo(afterRemove);
            assertThat(pg1.closed).isFalse();
        }
        assertThat(pg1.closed).isTrue();
    }

    @Test
    void aReplacedProbeIsClosedAndItsSuccessorTakesOver() {
        CountingProbe old = new CountingProbe();
        CountingProbe successor = new CountingProbe();
        try (ProbeScheduler scheduler = scheduler(Map.of("pg1", old), FAST)) {
            scheduler.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> old.probes.get() >= 2);

            scheduler.replace("pg1", successor);
            int oldCount = old.probes.get();

            assertThat(old.closed).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> successor.probes.get() >= 3);
            assertThat(old.probes.get()).isEqualTo(oldCount);
        }
    }

    @Test
    void aShorterIntervalTakesEffectWithoutWaitingOutTheLongerOne() {
        CountingProbe pg1 = new CountingProbe();
        try (ProbeScheduler scheduler = scheduler(Map.of("pg1", pg1), Duration.ofHours(1))) {
            scheduler.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> pg1.probes.get() == 1);

            scheduler.interval(FAST);

            assertThat(scheduler.interval()).isEqualTo(FAST);
            await().atMost(Duration.ofSeconds(5)).until(() -> pg1.probes.get() >= 5);
        }
    }

    @Test
    void aLongerIntervalSlowsProbingDown() {
        CountingProbe pg1 = new CountingProbe();
        try (ProbeScheduler scheduler = scheduler(Map.of("pg1", pg1), FAST)) {
            scheduler.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> pg1.probes.get() >= 3);

            scheduler.interval(Duration.ofHours(1));
            // A probe may already have started under the old interval; after it, none for an hour.
            int settled = pg1.probes.get() + 1;

            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                    .until(() -> pg1.probes.get() <= settled);
        }
    }
}
