package io.pgwarden.proxy.topology;

/** Ends a {@link TopologySource#subscribe} registration. */
@FunctionalInterface
public interface TopologySubscription extends AutoCloseable {

    /** Stops notifications to the listener; idempotent. */
    @Override
    void close();
}
