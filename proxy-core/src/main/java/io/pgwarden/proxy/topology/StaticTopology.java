package io.pgwarden.proxy.topology;

import io.pgwarden.config.BackendSettings;
import java.util.List;
import java.util.Objects;

/** A topology that never changes: the configuration's view, without health checks. */
public final class StaticTopology implements TopologySource {

    private final TopologySnapshot snapshot;

    public StaticTopology(TopologySnapshot snapshot) {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
    }

    /** The first backend is the primary, the others healthy standbys. */
    public static StaticTopology fromBackends(List<BackendSettings> backends) {
        return new StaticTopology(TopologySnapshot.fromBackends(backends));
    }

    @Override
    public TopologySnapshot current() {
        return snapshot;
    }

    @Override
    public TopologySubscription subscribe(TopologyListener listener) {
        Objects.requireNonNull(listener, "listener");
        return () -> { };
    }
}
