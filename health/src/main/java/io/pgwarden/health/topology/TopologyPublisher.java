package io.pgwarden.health.topology;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Holds the current {@link Topology} and hands every new one to the subscribers. */
public final class TopologyPublisher implements TopologySource {

    private static final Logger log = LoggerFactory.getLogger(TopologyPublisher.class);

    private final List<Consumer<Topology>> listeners = new CopyOnWriteArrayList<>();
    private volatile Topology current;

    public TopologyPublisher(Topology initial) {
        this.current = Objects.requireNonNull(initial, "initial");
    }

    @Override
    public Topology current() {
        return current;
    }

    @Override
    public Subscription subscribe(Consumer<Topology> listener) {
        Objects.requireNonNull(listener, "listener");
        // Under the lock so no snapshot published meanwhile is missed or delivered out of order.
        synchronized (this) {
            listeners.add(listener);
            deliver(listener, current);
        }
        return () -> listeners.remove(listener);
    }

    /** Makes {@code topology} current and delivers it to every subscriber. */
    public synchronized void publish(Topology topology) {
        current = Objects.requireNonNull(topology, "topology");
        for (Consumer<Topology> listener : listeners) {
            deliver(listener, topology);
        }
    }

    private static void deliver(Consumer<Topology> listener, Topology topology) {
        try {
            listener.accept(topology);
        } catch (RuntimeException e) {
            log.error("topology listener {} failed on epoch {} version {}", listener, topology.epoch(),
                    topology.version(), e);
        }
    }
}
