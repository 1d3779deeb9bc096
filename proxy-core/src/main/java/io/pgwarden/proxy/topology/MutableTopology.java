package io.pgwarden.proxy.topology;

import io.pgwarden.config.BackendSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A topology that its owner changes by hand: tests that switch the primary, and modes in which
 * another component decides roles. Every change publishes a snapshot with the next epoch to
 * all subscribers, in order; changes are serialized.
 */
public final class MutableTopology implements TopologySource {

    private final List<TopologyListener> listeners = new CopyOnWriteArrayList<>();
    private final Object publishLock = new Object();
    private volatile TopologySnapshot current;

    public MutableTopology(TopologySnapshot initial) {
        this.current = Objects.requireNonNull(initial, "initial");
    }

    /** The first backend is the primary, the others healthy standbys. */
    public static MutableTopology fromBackends(List<BackendSettings> backends) {
        return new MutableTopology(TopologySnapshot.fromBackends(backends));
    }

    @Override
    public TopologySnapshot current() {
        return current;
    }

    @Override
    public TopologySubscription subscribe(TopologyListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Publishes the snapshot {@code change} derives from the current one, with the epoch set
     * to the current epoch plus one.
     *
     * @return the published snapshot
     */
    public TopologySnapshot update(UnaryOperator<TopologySnapshot> change) {
        synchronized (publishLock) {
            TopologySnapshot next = change.apply(current);
            TopologySnapshot published =
                    new TopologySnapshot(current.epoch() + 1, next.primary(), next.standbys());
            current = published;
            for (TopologyListener listener : listeners) {
                listener.topologyChanged(published);
            }
            return published;
        }
    }

    /**
     * Elects the named node, currently a standby, as primary. The former primary leaves the
     * topology, as a fenced node does; it is not turned into a standby.
     */
    public TopologySnapshot electPrimary(String name) {
        return update(snapshot -> {
            BackendNode elected = snapshot.standbys().stream()
                    .map(Standby::node)
                    .filter(node -> node.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no standby named " + name));
            List<Standby> standbys = snapshot.standbys().stream()
                    .filter(standby -> !standby.node().equals(elected))
                    .toList();
            return new TopologySnapshot(snapshot.epoch(), Optional.of(elected), standbys);
        });
    }

    /** Removes the primary, as at the start of a failover; the standbys are kept. */
    public TopologySnapshot clearPrimary() {
        return update(snapshot -> new TopologySnapshot(snapshot.epoch(), Optional.empty(), snapshot.standbys()));
    }

    /** Makes {@code node} the primary while none is elected. */
    public TopologySnapshot setPrimary(BackendNode node) {
        return update(snapshot -> {
            List<Standby> standbys = snapshot.standbys().stream()
                    .filter(standby -> !standby.node().name().equals(node.name()))
                    .toList();
            return new TopologySnapshot(snapshot.epoch(), Optional.of(node), standbys);
        });
    }

    /** Marks the named standby healthy or not. */
    public TopologySnapshot setStandbyHealth(String name, boolean healthy) {
        return update(snapshot -> {
            List<Standby> standbys = new ArrayList<>();
            boolean found = false;
            for (Standby standby : snapshot.standbys()) {
                if (standby.node().name().equals(name)) {
                    standbys.add(new Standby(standby.node(), healthy));
                    found = true;
                } else {
                    standbys.add(standby);
                }
            }
            if (!found) {
                throw new IllegalArgumentException("no standby named " + name);
            }
            return new TopologySnapshot(snapshot.epoch(), snapshot.primary(), standbys);
        });
    }
}
