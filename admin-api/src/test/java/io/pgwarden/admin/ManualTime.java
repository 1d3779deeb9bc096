package io.pgwarden.admin;

import io.pgwarden.health.TimeSource;
import java.time.Duration;
import java.time.Instant;

/** A clock that moves only when a test moves it, so event times and phase durations are exact. */
public final class ManualTime implements TimeSource {

    private volatile Instant now;
    private volatile long nanos;

    public ManualTime(Instant start) {
        this.now = start;
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public long nanoTime() {
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
