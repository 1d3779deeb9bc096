package io.pgwarden.health.topology;

import java.util.function.Consumer;

/** Where the proxy and the admin API read the cluster topology from. */
public interface TopologySource {

    /** The latest snapshot. */
    Topology current();

    /**
     * Calls {@code listener} with the current snapshot at once, then with every new one, in
     * order, on the thread that publishes it (the coordinator's). Listeners must not block: hand
     * work to your own threads.
     *
     * @return closing it ends the subscription
     */
    Subscription subscribe(Consumer<Topology> listener);

    /** An active subscription. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
