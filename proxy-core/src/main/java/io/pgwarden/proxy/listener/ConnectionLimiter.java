package io.pgwarden.proxy.listener;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts open client connections over all listeners against {@code limits.max-client-connections}. */
public final class ConnectionLimiter {

    private volatile int maxConnections;
    private final AtomicInteger open = new AtomicInteger();

    public ConnectionLimiter(int maxConnections) {
        maxConnections(maxConnections);
    }

    /**
     * Changes the limit (a reload). Connections open beyond a lowered limit stay; new ones are
     * refused until enough have closed.
     */
    public void maxConnections(int maxConnections) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive, got " + maxConnections);
        }
        this.maxConnections = maxConnections;
    }

    /** Takes a slot; false, taking nothing, when all slots are in use. */
    public boolean tryAcquire() {
        while (true) {
            int current = open.get();
            if (current >= maxConnections) {
                return false;
            }
            if (open.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Gives back a slot taken by a successful {@link #tryAcquire()}. */
    public void release() {
        open.decrementAndGet();
    }

    public int open() {
        return open.get();
    }

    public int maxConnections() {
        return maxConnections;
    }
}
