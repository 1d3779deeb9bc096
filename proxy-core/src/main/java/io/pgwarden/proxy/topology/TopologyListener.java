package io.pgwarden.proxy.topology;

/** Told of every snapshot a {@link TopologySource} publishes. */
@FunctionalInterface
public interface TopologyListener {

    /**
     * Called on the publishing thread, after {@link TopologySource#current()} already returns
     * {@code snapshot}. Must not block: hand work to another thread.
     */
    void topologyChanged(TopologySnapshot snapshot);
}
