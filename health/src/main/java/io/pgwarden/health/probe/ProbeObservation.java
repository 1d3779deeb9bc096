package io.pgwarden.health.probe;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one successful probe read from a backend.
 *
 * @param inRecovery {@code pg_is_in_recovery()}: true on a standby, false on a writable primary
 * @param currentLsn {@code pg_current_wal_lsn()}, only on a primary
 * @param receiveLsn {@code pg_last_wal_receive_lsn()}, only on a standby that has streamed since it started
 * @param replayLsn {@code pg_last_wal_replay_lsn()}, only on a standby
 * @param timeline on a primary the timeline it writes (from the name of the current WAL file); on a
 *     standby the timeline its WAL receiver receives, else that of its last restartpoint
 * @param replayLag on a standby: zero when everything received has been replayed, else the age of the
 *     last replayed transaction. {@code now() - pg_last_xact_replay_timestamp()} alone grows without
 *     bound on an idle primary although nothing is behind, so it is only used while WAL is pending
 * @param walReceiver {@code pg_stat_wal_receiver} on a standby whose receiver runs
 * @param defaultTransactionReadOnly whether {@code default_transaction_read_only} is on, as a soft fence sets it
 */
public record ProbeObservation(
        boolean inRecovery,
        Optional<Lsn> currentLsn,
        Optional<Lsn> receiveLsn,
        Optional<Lsn> replayLsn,
        OptionalLong timeline,
        Optional<Duration> replayLag,
        Optional<WalReceiverStatus> walReceiver,
        boolean defaultTransactionReadOnly) {

    public ProbeObservation {
        Objects.requireNonNull(currentLsn, "currentLsn");
        Objects.requireNonNull(receiveLsn, "receiveLsn");
        Objects.requireNonNull(replayLsn, "replayLsn");
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(replayLag, "replayLag");
        Objects.requireNonNull(walReceiver, "walReceiver");
    }

    /**
     * The furthest WAL position this node holds: the current position of a primary, or on a
     * standby the later of received and replayed (a promotion replays everything received first).
     */
    public Optional<Lsn> position() {
        if (!inRecovery) {
            return currentLsn;
        }
        if (receiveLsn.isEmpty()) {
            return replayLsn;
        }
        if (replayLsn.isEmpty()) {
            return receiveLsn;
        }
        return Optional.of(receiveLsn.get().compareTo(replayLsn.get()) >= 0 ? receiveLsn.get() : replayLsn.get());
    }
}
