package io.pgwarden.proxy.topology;

/**
 * Where the proxy learns the topology it routes by. The health module implements it with
 * probes and the failover coordinator; {@link StaticTopology} and {@link MutableTopology} serve
 * configurations without health checks and tests.
 */
public interface TopologySource {

    /** The latest snapshot; never null. */
    TopologySnapshot current();

    /**
     * Registers a listener for snapshots published from now on. It is not called for the
     * current snapshot: read {@link #current()} after subscribing so no change is missed.
     *
     * @return closes the subscription
     */
    TopologySubscription subscribe(TopologyListener listener);
}
