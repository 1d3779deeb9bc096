package io.pgwarden.health.probe;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the probe of every backend on its own thread, so a hung backend never delays the probes
 * of the others. A probe starts every {@code interval}; one that runs past the interval (it is
 * bounded by its deadline) is followed by the next at once, never by a burst of catch-up probes.
 *
 * <p>A reload changes the schedule while it runs: backends are added and removed, a probe is
 * replaced (new address, new deadline), the interval changes. A removed or replaced probe
 * delivers no outcome once {@link #remove} or {@link #replace} has returned.
 */
public final class ProbeScheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProbeScheduler.class);

    private final Map<String, Worker> workers = new LinkedHashMap<>();
    private final BiConsumer<String, ProbeOutcome> sink;
    /** Sleeping probe threads wait on it, so that a shorter interval takes effect at once. */
    private final Object pacer = new Object();
    private volatile Duration interval;
    private volatile boolean running;

    /**
     * @param probes one probe per backend, by backend name
     * @param sink receives every outcome, on the thread of that backend
     */
    public ProbeScheduler(Map<String, NodeProbe> probes, Duration interval, BiConsumer<String, ProbeOutcome> sink) {
        this.interval = Objects.requireNonNull(interval, "interval");
        this.sink = Objects.requireNonNull(sink, "sink");
        probes.forEach((name, probe) -> workers.put(name, new Worker(name, probe)));
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        workers.values().forEach(Worker::start);
    }

    /** The backends probed, in the order they were added. */
    public synchronized Set<String> names() {
        return Set.copyOf(workers.keySet());
    }

    /** The time between the starts of two probes of one backend. */
    public Duration interval() {
        return interval;
    }

    /** Changes the interval; probes waiting for their next start wait for the new one (from their last start). */
    public void interval(Duration interval) {
        this.interval = Objects.requireNonNull(interval, "interval");
        synchronized (pacer) {
            pacer.notifyAll();
        }
    }

    /**
     * Starts probing another backend (at once, when the scheduler runs).
     *
     * @throws IllegalArgumentException when {@code name} is probed already
     */
    public synchronized void add(String name, NodeProbe probe) {
        if (workers.containsKey(name)) {
            throw new IllegalArgumentException("backend " + name + " is probed already");
        }
        Worker worker = new Worker(name, probe);
        workers.put(name, worker);
        if (running) {
            worker.start();
        }
    }

    /**
     * Stops probing a backend and closes its probe; no outcome of it is delivered after this
     * returns. Unknown names are ignored.
     */
    public synchronized void remove(String name) {
        Worker worker = workers.remove(name);
        if (worker != null) {
            stop(List.of(worker));
        }
    }

    /** {@link #remove} then {@link #add}: the backend's next probe is the new probe's first. */
    public synchronized void replace(String name, NodeProbe probe) {
        remove(name);
        add(name, probe);
    }

    @Override
    public synchronized void close() {
        running = false;
        stop(List.copyOf(workers.values()));
        workers.clear();
    }

    private void stop(List<Worker> stopping) {
        stopping.forEach(Worker::stop);
        synchronized (pacer) {
            pacer.notifyAll();
        }
        for (Worker worker : stopping) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stopping.forEach(worker -> worker.probe.close());
    }

    /** The thread of one backend. */
    private final class Worker {
        private final String name;
        private final NodeProbe probe;
        private final Thread thread;
        private volatile boolean stopped;

        Worker(String name, NodeProbe probe) {
            this.name = Objects.requireNonNull(name, "name");
            this.probe = Objects.requireNonNull(probe, "probe");
            this.thread = new Thread(this::loop, "pgwarden-probe-" + name);
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() {
            stopped = true;
            // Ends a wait for the server at once; the probe reports it as a failure nobody receives.
            thread.interrupt();
        }

        void join() throws InterruptedException {
            if (thread.isAlive()) {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            }
        }

        private boolean active() {
            return running && !stopped;
        }

        private void loop() {
            long lastStart = 0;
            boolean first = true;
            while (active()) {
                if (!first) {
                    long wait = lastStart + interval.toNanos() - System.nanoTime();
                    if (wait > 0) {
                        try {
                            synchronized (pacer) {
                                if (active()) {
                                    TimeUnit.NANOSECONDS.timedWait(pacer, wait);
                                }
                            }
                        } catch (InterruptedException e) {
                            break;
                        }
                        // Woken early (interval changed, stopping) or on time: decide again.
                        continue;
                    }
                }
                first = false;
                lastStart = System.nanoTime();
                ProbeOutcome outcome = probe.probe();
                if (!active()) {
                    break;
                }
                try {
                    sink.accept(name, outcome);
                } catch (RuntimeException e) {
                    log.error("probe outcome of {} could not be handled", name, e);
                }
            }
        }
    }
}
