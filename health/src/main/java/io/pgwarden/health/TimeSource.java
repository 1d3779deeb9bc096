package io.pgwarden.health;

import java.time.Duration;
import java.time.Instant;

/**
 * Wall-clock time, monotonic time and waiting, in one place so that state machines and the
 * failover coordinator run under a fake clock in tests.
 */
public interface TimeSource {

    /** The time used in events, probe results and the state file. */
    Instant now();

    /** A monotonic reading in nanoseconds, for deadlines and latencies. */
    long nanoTime();

    /** Waits for {@code duration}, or returns early when interrupted (then with the interrupt flag set). */
    void sleep(Duration duration);

    /** The machine's clocks. */
    static TimeSource system() {
        return SystemTimeSource.INSTANCE;
    }
}
