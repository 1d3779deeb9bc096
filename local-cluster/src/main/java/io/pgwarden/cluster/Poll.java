package io.pgwarden.cluster;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes; every wait of the launcher goes through here. */
final class Poll {
    private static final long FIRST_INTERVAL_MILLIS = 10;
    private static final long MAX_INTERVAL_MILLIS = 200;

    /** A probe; throwing counts as "not yet", and the last failure ends up in the timeout message. */
    @FunctionalInterface
    interface Probe<T> {
        Optional<T> check() throws Exception;
    }

    private Poll() {
    }

    /**
     * Calls {@code probe} until it returns a value, backing off from 10 ms to 200 ms between calls.
     *
     * @param what completes "timed out after 5s waiting for ...", evaluated only on timeout
     * @throws LocalClusterException when {@code timeout} passes first
     */
    static <T> T until(Duration timeout, Supplier<String> what, Probe<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long interval = FIRST_INTERVAL_MILLIS;
        Exception lastFailure = null;
        while (true) {
            try {
                Optional<T> result = probe.check();
                if (result.isPresent()) {
                    return result.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalClusterException("interrupted while waiting for " + what.get(), e);
            } catch (Exception e) {
                lastFailure = e;
            }
            long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (remainingMillis <= 0) {
                String message = "timed out after " + timeout + " waiting for " + what.get();
                throw lastFailure == null
                        ? new LocalClusterException(message)
                        : new LocalClusterException(message + "; last error: " + lastFailure, lastFailure);
            }
            try {
                Thread.sleep(Math.min(interval, remainingMillis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalClusterException("interrupted while waiting for " + what.get(), e);
            }
            interval = Math.min(interval * 2, MAX_INTERVAL_MILLIS);
        }
    }
}
