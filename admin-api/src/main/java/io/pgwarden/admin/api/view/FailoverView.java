package io.pgwarden.admin.api.view;

/**
 * The answer to {@code POST /api/v1/switchover} and {@code /failover}.
 *
 * @param operation {@code switchover} or {@code failover}
 * @param succeeded whether a new primary was elected
 * @param oldPrimary primary before, null when none was elected
 * @param newPrimary primary elected, null when it did not succeed
 * @param epoch epoch afterwards
 * @param reason typed reason, {@code promoted} or {@code switchover} on success
 * @param message details
 * @param durationMs from start to end
 */
public record FailoverView(
        String operation,
        boolean succeeded,
        String oldPrimary,
        String newPrimary,
        long epoch,
        String reason,
        String message,
        double durationMs) {
}
