package io.pgwarden.health.probe;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The one query of a probe round: role, WAL positions, timeline, replay lag and WAL receiver
 * status in a single round trip, valid on a primary and on a standby alike.
 */
public final class ProbeQuery {

    /*
     * pg_current_wal_lsn() and pg_walfile_name() raise an error during recovery, hence the CASEs.
     * The timeline of a primary comes from the name of its current WAL file, which changes at
     * promotion; pg_control_checkpoint() would lag until the first checkpoint after it.
     */
    static final String SQL = """
            SELECT r.in_recovery,
                   CASE WHEN r.in_recovery THEN NULL ELSE pg_current_wal_lsn()::text END,
                   pg_last_wal_receive_lsn()::text,
                   pg_last_wal_replay_lsn()::text,
                   CASE WHEN r.in_recovery THEN NULL ELSE pg_walfile_name(pg_current_wal_lsn()) END,
                   (SELECT timeline_id FROM pg_control_checkpoint()),
                   CASE WHEN NOT r.in_recovery THEN NULL
                        WHEN pg_last_wal_receive_lsn() IS NOT NULL
                             AND pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0
                        ELSE (extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000)::bigint END,
                   w.status, w.sender_host, w.sender_port, w.received_tli, w.last_msg_receipt_time,
                   current_setting('default_transaction_read_only') = 'on'
              FROM (SELECT pg_is_in_recovery() AS in_recovery) r
              LEFT JOIN pg_stat_wal_receiver w ON true""";

    private ProbeQuery() {
    }

    /** Runs the probe query on {@code connection}. */
    public static ProbeObservation run(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(SQL)) {
            if (!row.next()) {
                throw new SQLException("probe query returned no row");
            }
            boolean inRecovery = row.getBoolean(1);
            Optional<Lsn> currentLsn = lsn(row.getString(2));
            Optional<Lsn> receiveLsn = lsn(row.getString(3));
            Optional<Lsn> replayLsn = lsn(row.getString(4));
            String walFile = row.getString(5);
            long checkpointTimeline = row.getLong(6);
            OptionalLong lagMillis = optionalLong(row, 7);
            String receiverStatus = row.getString(8);
            Optional<WalReceiverStatus> walReceiver = Optional.empty();
            if (receiverStatus != null) {
                OptionalLong senderPort = optionalLong(row, 10);
                Timestamp receipt = row.getTimestamp(12);
                walReceiver = Optional.of(new WalReceiverStatus(
                        receiverStatus,
                        Optional.ofNullable(row.getString(9)),
                        senderPort.isPresent() ? OptionalInt.of((int) senderPort.getAsLong()) : OptionalInt.empty(),
                        optionalLong(row, 11),
                        Optional.ofNullable(receipt).map(Timestamp::toInstant)));
            }
            boolean readOnly = row.getBoolean(13);
            OptionalLong timeline;
            if (walFile != null && walFile.length() >= 8) {
                timeline = OptionalLong.of(Long.parseLong(walFile.substring(0, 8), 16));
            } else if (walReceiver.isPresent() && walReceiver.get().receivedTimeline().isPresent()) {
                timeline = walReceiver.get().receivedTimeline();
            } else {
                timeline = checkpointTimeline > 0 ? OptionalLong.of(checkpointTimeline) : OptionalLong.empty();
            }
            Optional<Duration> replayLag = lagMillis.isPresent()
                    ? Optional.of(Duration.ofMillis(Math.max(0, lagMillis.getAsLong())))
                    : Optional.empty();
            return new ProbeObservation(inRecovery, currentLsn, receiveLsn, replayLsn, timeline, replayLag,
                    walReceiver, readOnly);
        }
    }

    private static Optional<Lsn> lsn(String text) {
        return text == null ? Optional.empty() : Optional.of(Lsn.parse(text));
    }

    private static OptionalLong optionalLong(ResultSet row, int column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
    }
}
