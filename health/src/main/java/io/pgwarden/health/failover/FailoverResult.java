package io.pgwarden.health.failover;

import io.pgwarden.health.event.Reason;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The end of a failover or switchover.
 *
 * @param succeeded whether a new primary was elected
 * @param oldPrimary the primary before
 * @param newPrimary the primary elected, when it succeeded
 * @param epoch epoch afterwards
 * @param reason why it ended so ({@link Reason#PROMOTED} on success)
 * @param message details for the operator
 * @param duration from start to end
 */
public record FailoverResult(
        boolean succeeded,
        Optional<String> oldPrimary,
        Optional<String> newPrimary,
        long epoch,
        Reason reason,
        String message,
        Duration duration) {

    public FailoverResult {
        Objects.requireNonNull(oldPrimary, "oldPrimary");
        Objects.requireNonNull(newPrimary, "newPrimary");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(duration, "duration");
    }
}
