package io.pgwarden.health.probe;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What a standby's WAL receiver reports in {@code pg_stat_wal_receiver}.
 *
 * @param status {@code streaming}, {@code starting}, {@code waiting}, {@code restarting} or {@code stopping}
 * @param senderHost host the receiver is connected to (as written in {@code primary_conninfo})
 * @param senderPort port the receiver is connected to
 * @param receivedTimeline timeline of the last WAL received
 * @param lastMessageReceipt when the last message from the upstream arrived
 * @see <a href="https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-PG-STAT-WAL-RECEIVER-VIEW">pg_stat_wal_receiver</a>
 */
public record WalReceiverStatus(
        String status,
        Optional<String> senderHost,
        OptionalInt senderPort,
        OptionalLong receivedTimeline,
        Optional<Instant> lastMessageReceipt) {

    public WalReceiverStatus {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(senderHost, "senderHost");
        Objects.requireNonNull(senderPort, "senderPort");
        Objects.requireNonNull(receivedTimeline, "receivedTimeline");
        Objects.requireNonNull(lastMessageReceipt, "lastMessageReceipt");
    }

    /** Whether the receiver holds a live replication connection to its upstream. */
    public boolean streaming() {
        return "streaming".equals(status);
    }

    /** Whether the upstream is {@code host:port}; host names are compared as written, without resolving them. */
    public boolean streamsFrom(String host, int port) {
        return streaming()
                && senderHost.map(sender -> sender.equalsIgnoreCase(host)).orElse(false)
                && senderPort.isPresent() && senderPort.getAsInt() == port;
    }

    /** {@code host:port} of the upstream, or {@code ?} for what is unknown. */
    public String upstream() {
        return senderHost.orElse("?") + ":" + (senderPort.isPresent() ? String.valueOf(senderPort.getAsInt()) : "?");
    }
}
