package io.pgwarden.admin.api.view;

import java.util.List;

/**
 * {@code GET /api/v1/events}: the event history, oldest first.
 *
 * @param lastSequence sequence of the latest event recorded (pass it as {@code since} to get only newer ones)
 */
public record EventsView(long lastSequence, List<EventView> events) {

    /**
     * One observation or decision.
     *
     * @param kind e.g. {@code failover-completed}
     * @param node the node concerned, null when none
     * @param reason typed reason, e.g. {@code primary-down}
     * @param outcome {@code observed}, {@code succeeded}, {@code failed}, {@code refused}, {@code skipped}
     * @param action what an action that ran reported, null when none ran
     */
    public record EventView(
            long sequence,
            String time,
            long epoch,
            String kind,
            String node,
            String reason,
            String outcome,
            String message,
            ActionView action) {
    }

    /** The result of a promote, fence, follow, rejoin or on-state-change action. */
    public record ActionView(String kind, String description, String status, Integer exitCode, String output,
            double durationMs) {
    }
}
