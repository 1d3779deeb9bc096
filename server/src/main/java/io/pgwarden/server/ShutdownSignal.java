package io.pgwarden.server;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into an orderly stop: the main thread waits here, closes
 * what it started and exits 0, instead of the JVM dying half-way with status 143.
 */
public final class ShutdownSignal {

    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicReference<String> received = new AtomicReference<>();

    public static ShutdownSignal install() {
        ShutdownSignal signal = new ShutdownSignal();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), s -> signal.trigger("SIG" + s.getName()));
        }
        return signal;
    }

    public void trigger(String reason) {
        received.compareAndSet(null, reason);
        stop.countDown();
    }

    /** Blocks until a stop signal arrives; returns its name. */
    public String await() throws InterruptedException {
        stop.await();
        return received.get();
    }

    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return stop.await(timeout, unit);
    }
}
