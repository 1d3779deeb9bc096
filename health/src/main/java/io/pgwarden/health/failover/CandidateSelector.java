package io.pgwarden.health.failover;

import io.pgwarden.health.event.Reason;
import io.pgwarden.health.probe.Lsn;
import io.pgwarden.health.topology.Health;
import io.pgwarden.health.topology.NodeState;
import io.pgwarden.health.topology.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Ranks the standbys that may be promoted: UP, in recovery, not fenced, priority above 0, WAL
 * position known and not further behind the lost primary's last known position than
 * {@code max-lag-on-failover}. Best first: furthest WAL position (the later of received and
 * replayed, since promotion replays all that was received), then higher priority, then
 * configuration order.
 */
public final class CandidateSelector {

    private final long maxLagBytes;

    /** @param maxLagBytes {@code max-lag-on-failover}; negative means no limit */
    public CandidateSelector(long maxLagBytes) {
        this.maxLagBytes = maxLagBytes;
    }

    /** A standby left out, and why. */
    public record Skip(String node, Reason reason, String message) {
        public Skip {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }

    /** Candidates best first, and the nodes left out. */
    public record Selection(List<NodeState> candidates, List<Skip> skipped) {
        public Selection {
            candidates = List.copyOf(candidates);
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * @param nodes every node, in configuration order
     * @param oldPrimary the primary being replaced: never a candidate
     * @param primaryPosition the old primary's last known WAL position; without it lag is not checked
     * @param requested an operator's choice: only that node is considered
     */
    public Selection select(
            List<NodeState> nodes, Optional<String> oldPrimary, Optional<Lsn> primaryPosition,
            Optional<String> requested) {
        List<NodeState> qualified = new ArrayList<>();
        List<Skip> skipped = new ArrayList<>();
        for (NodeState node : nodes) {
            if (oldPrimary.map(node.name()::equals).orElse(false)) {
                continue;
            }
            if (requested.isPresent() && !requested.get().equals(node.name())) {
                continue;
            }
            Optional<Skip> skip = disqualify(node, primaryPosition);
            if (skip.isPresent()) {
                skipped.add(skip.get());
            } else {
                qualified.add(node);
            }
        }
        Comparator<NodeState> byPosition = Comparator.comparing(node -> node.position().orElse(Lsn.ZERO));
        Comparator<NodeState> order = byPosition.reversed()
                .thenComparing(Comparator.comparingInt(NodeState::priority).reversed())
                .thenComparingInt(nodes::indexOf);
        qualified.sort(order);
        return new Selection(qualified, skipped);
    }

    private Optional<Skip> disqualify(NodeState node, Optional<Lsn> primaryPosition) {
        if (node.fenced()) {
            return Optional.of(new Skip(node.name(), Reason.FENCED, "fenced"));
        }
        if (node.priority() <= 0) {
            return Optional.of(new Skip(node.name(), Reason.PRIORITY_ZERO, "priority 0: never promoted"));
        }
        if (node.health() != Health.UP || node.role() != Role.STANDBY) {
            return Optional.of(new Skip(node.name(), Reason.NOT_HEALTHY,
                    "health " + node.health() + ", role " + node.role()));
        }
        Optional<Lsn> position = node.position();
        if (position.isEmpty()) {
            return Optional.of(new Skip(node.name(), Reason.POSITION_UNKNOWN, "WAL position unknown"));
        }
        if (maxLagBytes >= 0 && primaryPosition.isPresent()) {
            long behind = primaryPosition.get().minus(position.get());
            if (behind > maxLagBytes) {
                return Optional.of(new Skip(node.name(), Reason.LAG_EXCEEDED, "at " + position.get() + ", "
                        + behind + " bytes behind the primary's last known " + primaryPosition.get()
                        + " (max-lag-on-failover " + maxLagBytes + ")"));
            }
        }
        return Optional.empty();
    }
}
