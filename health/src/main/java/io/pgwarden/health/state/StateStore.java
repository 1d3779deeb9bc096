package io.pgwarden.health.state;

import java.io.IOException;

/**
 * Persists the {@link ClusterState}. A save returns only once the state is durable; a failover
 * does not route writes to a new primary before its election is saved. A local file now; a
 * shared store (etcd) later lets several pgwarden instances share one truth.
 */
public interface StateStore {

    /** The saved state, or {@link ClusterState#INITIAL} if nothing was ever saved. */
    ClusterState load() throws IOException;

    /** Saves durably and atomically: a crash leaves either the old or the new state, never a mix. */
    void save(ClusterState state) throws IOException;
}
