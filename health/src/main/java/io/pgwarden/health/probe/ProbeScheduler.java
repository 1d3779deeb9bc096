package io.pgwarden.health.probe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the probe of every backend on its own thread, so a hung backend never delays the probes
 * of the others. A probe starts every {@code interval}; one that runs past the interval (it is
 * bounded by its deadline) is followed by the next at once, never by a burst of catch-up probes.
 */
public final class ProbeScheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProbeScheduler.class);

    private final Map<String, NodeProbe> probes;
    private final Duration interval;
    private final BiConsumer<String, ProbeOutcome> sink;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    /**
     * @param probes one probe per backend, by backend name
     * @param sink receives every outcome, on the thread of that backend
     */
    public ProbeScheduler(Map<String, NodeProbe> probes, Duration interval, BiConsumer<String, ProbeOutcome> sink) {
        this.probes = Map.copyOf(probes);
        this.interval = Objects.requireNonNull(interval, "interval");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        probes.forEach((name, probe) -> {
            Thread thread = new Thread(() -> loop(name, probe), "pgwarden-probe-" + name);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        });
    }

    private void loop(String name, NodeProbe probe) {
        long intervalNanos = interval.toNanos();
        long nextStart = System.nanoTime();
        while (running) {
            long wait = nextStart - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    break;
                }
            }
            long started = System.nanoTime();
            ProbeOutcome outcome = probe.probe();
            if (!running) {
                break;
            }
            try {
                sink.accept(name, outcome);
            } catch (RuntimeException e) {
                log.error("probe outcome of {} could not be handled", name, e);
            }
            nextStart = Math.max(started + intervalNanos, System.nanoTime());
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        threads.clear();
        probes.values().forEach(NodeProbe::close);
    }
}
