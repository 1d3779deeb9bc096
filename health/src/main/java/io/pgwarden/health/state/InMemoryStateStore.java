package io.pgwarden.health.state;

import java.util.Objects;

/** A {@link StateStore} that forgets everything when the process ends: for demo mode and tests. */
public final class InMemoryStateStore implements StateStore {

    private volatile ClusterState state;

    public InMemoryStateStore() {
        this(ClusterState.INITIAL);
    }

    public InMemoryStateStore(ClusterState initial) {
        this.state = Objects.requireNonNull(initial, "initial");
    }

    @Override
    public ClusterState load() {
        return state;
    }

    @Override
    public void save(ClusterState state) {
        this.state = Objects.requireNonNull(state, "state");
    }
}
