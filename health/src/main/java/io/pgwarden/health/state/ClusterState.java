package io.pgwarden.health.state;

import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What must survive a restart of pgwarden so that it never trusts a returning old primary.
 *
 * @param epoch number of the latest election; 0 before the first
 * @param electedPrimary the node elected at {@code epoch}; empty before the first election and
 *     while a failover is between fencing the old primary and electing the new one
 * @param fenced nodes never routed to until an operator unfences them or they rejoin
 */
public record ClusterState(long epoch, Optional<String> electedPrimary, Set<String> fenced) {

    public static final ClusterState INITIAL = new ClusterState(0, Optional.empty(), Set.of());

    public ClusterState {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must not be negative: " + epoch);
        }
        Objects.requireNonNull(electedPrimary, "electedPrimary");
        fenced = Collections.unmodifiableSortedSet(new TreeSet<>(fenced));
    }

    public boolean isFenced(String node) {
        return fenced.contains(node);
    }

    /** {@code node} elected at the next epoch, and never fenced at the same time. */
    public ClusterState elect(String node) {
        Set<String> stillFenced = new TreeSet<>(fenced);
        stillFenced.remove(node);
        return new ClusterState(epoch + 1, Optional.of(node), stillFenced);
    }

    /** Fenced; if it was the elected primary, no primary is elected any more (same epoch). */
    public ClusterState fence(String node) {
        Set<String> more = new TreeSet<>(fenced);
        more.add(node);
        Optional<String> primary = electedPrimary.filter(name -> !name.equals(node));
        return new ClusterState(epoch, primary, more);
    }

    public ClusterState unfence(String node) {
        Set<String> fewer = new TreeSet<>(fenced);
        fewer.remove(node);
        return new ClusterState(epoch, electedPrimary, fewer);
    }
}
