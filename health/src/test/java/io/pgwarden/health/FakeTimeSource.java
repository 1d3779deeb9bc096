package io.pgwarden.health;

import java.time.Duration;
import java.time.Instant;

/** A clock that moves only when told to, or when something sleeps on it. */
public final class FakeTimeSource implements TimeSource {

    private Instant now;
    private long nanos;

    public FakeTimeSource() {
        this(Instant.parse("2025-01-01T00:00:00Z"));
    }

    public FakeTimeSource(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public void sleep(Duration duration) {
        advance(duration);
    }

    public synchronized void advance(Duration duration) {
        now = now.plus(duration);
        nanos += duration.toNanos();
    }
}
