package io.pgwarden.health.event;

import io.pgwarden.health.action.ActionResult;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One observation that changed state, or one decision.
 *
 * @param sequence position in this process's event history, from 1, without gaps
 * @param time when it happened
 * @param epoch cluster epoch at that moment (after the change, for an election)
 * @param kind what happened
 * @param node the node concerned, if any
 * @param reason why
 * @param outcome how it ended
 * @param message human-readable details
 * @param action result of the action that ran, if one did
 */
public record ClusterEvent(
        long sequence,
        Instant time,
        long epoch,
        EventKind kind,
        Optional<String> node,
        Reason reason,
        Outcome outcome,
        String message,
        Optional<ActionResult> action) {

    public ClusterEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(action, "action");
    }

    /** One line for the log. */
    public String summary() {
        StringBuilder line = new StringBuilder();
        line.append('#').append(sequence).append(" epoch ").append(epoch).append(' ').append(kind);
        node.ifPresent(name -> line.append(" node=").append(name));
        line.append(" reason=").append(reason).append(" outcome=").append(outcome);
        if (!message.isEmpty()) {
            line.append(": ").append(message);
        }
        action.ifPresent(result -> line.append(" [").append(result.summary()).append(']'));
        return line.toString();
    }
}
