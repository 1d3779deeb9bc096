package io.pgwarden.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Failover policy and actions: {@code pgwarden.failover}.
 *
 * @param mode who promotes
 * @param maxLagOnFailover a standby further behind than this many bytes of WAL is not promoted
 * @param promoteTimeout how long a promoted candidate has to become writable before the next candidate is tried
 * @param switchoverTimeout how long a planned switchover waits for sessions to go idle and the
 *     candidate to catch up before giving up and resuming on the old primary
 * @param autoRejoin whether a fenced node returns by itself once it runs as a standby of the
 *     elected primary's timeline (otherwise only an operator unfences it)
 * @param stateFile where the elected primary, epoch and fenced nodes are persisted
 * @param promote empty command: built-in {@code pg_promote(wait => true)}
 * @param fence empty command: built-in soft fence when the node is reachable
 *     ({@code default_transaction_read_only = on}, reload, terminate client backends)
 * @param follow empty command: built-in {@code ALTER SYSTEM SET primary_conninfo} and {@code pg_reload_conf()}
 * @param rejoin empty command: none (the node must be made a standby by other means, e.g. {@code pg_rewind})
 * @param onStateChange empty command: none; otherwise run on every topology change
 */
public record FailoverSettings(
        FailoverMode mode,
        long maxLagOnFailover,
        Duration promoteTimeout,
        Duration switchoverTimeout,
        boolean autoRejoin,
        Path stateFile,
        ActionSettings promote,
        ActionSettings fence,
        ActionSettings follow,
        ActionSettings rejoin,
        ActionSettings onStateChange) {

    public FailoverSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(promoteTimeout, "promoteTimeout");
        Objects.requireNonNull(switchoverTimeout, "switchoverTimeout");
        Objects.requireNonNull(stateFile, "stateFile");
        Objects.requireNonNull(promote, "promote");
        Objects.requireNonNull(fence, "fence");
        Objects.requireNonNull(follow, "follow");
        Objects.requireNonNull(rejoin, "rejoin");
        Objects.requireNonNull(onStateChange, "onStateChange");
    }
}
