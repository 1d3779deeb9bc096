package io.pgwarden.admin.api.view;

import java.util.List;

/**
 * {@code GET /api/v1/cluster}: the cluster as the coordinator sees it, like
 * {@code pg_autoctl show state}.
 *
 * @param epoch number of the latest primary election
 * @param topologyVersion number of the snapshot this was read from (grows with every probe)
 * @param primary the elected primary, null while none is elected
 * @param routablePrimary the node write sessions go to now, null while none (failover in progress)
 * @param failoverMode {@code automatic}, {@code manual} or {@code external}
 * @param paused whether an operator paused new transactions
 * @param operation the failover or switchover in progress, null when none
 * @param roguePrimaries nodes writable without being elected
 * @param nodes every configured backend, in configuration order
 * @param time when the snapshot was made, ISO-8601
 */
public record ClusterView(
        long epoch,
        long topologyVersion,
        String primary,
        String routablePrimary,
        String failoverMode,
        boolean paused,
        OperationView operation,
        List<String> roguePrimaries,
        List<NodeView> nodes,
        String time) {

    /**
     * One backend.
     *
     * @param role what it reports: {@code primary}, {@code standby}, {@code unknown}
     * @param health {@code up}, {@code suspect}, {@code down}
     * @param electedPrimary whether it is the elected primary of this epoch
     * @param fenced never routed to while true
     * @param draining no new sessions are routed to it
     * @param lagBytes of a standby: WAL bytes behind the elected primary; null when unknown
     * @param lagSeconds of a standby: replay lag it reports; null when unknown
     * @param sessions client sessions bound to it now
     */
    public record NodeView(
            String name,
            String host,
            int port,
            int priority,
            String role,
            String health,
            boolean electedPrimary,
            boolean fenced,
            boolean draining,
            boolean readOnlyByDefault,
            String currentLsn,
            String receiveLsn,
            String replayLsn,
            Long lagBytes,
            Double lagSeconds,
            Long timeline,
            WalReceiverView walReceiver,
            int consecutiveFailures,
            String lastProbeAt,
            Double lastProbeLatencyMs,
            String lastError,
            long sessions) {
    }

    /** A standby's WAL receiver ({@code pg_stat_wal_receiver}). */
    public record WalReceiverView(String status, String upstream, boolean streaming) {
    }

    /** A failover or switchover under way: {@code kind} is {@code failover} or {@code switchover}. */
    public record OperationView(String kind, String since, String requestedBy) {
    }
}
