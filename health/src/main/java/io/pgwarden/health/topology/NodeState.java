package io.pgwarden.health.topology;

import io.pgwarden.config.BackendSettings;
import io.pgwarden.health.probe.Lsn;
import io.pgwarden.health.probe.ProbeFailure;
import io.pgwarden.health.probe.ProbeObservation;
import io.pgwarden.health.probe.ProbeOutcome;
import io.pgwarden.health.probe.ProbeSuccess;
import io.pgwarden.health.probe.WalReceiverStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What is known of one backend after its latest probe.
 *
 * @param name backend name from the configuration
 * @param host configured host
 * @param port configured port
 * @param priority configured failover priority (0: never promoted)
 * @param role reported role; kept through SUSPECT, UNKNOWN once DOWN
 * @param health probe health
 * @param currentLsn {@code pg_current_wal_lsn()} of a primary, from the last successful probe
 * @param receiveLsn {@code pg_last_wal_receive_lsn()} of a standby
 * @param replayLsn {@code pg_last_wal_replay_lsn()} of a standby
 * @param lagBytes of a standby: WAL bytes its replay position is behind the elected primary's
 *     current position (as of their latest probes); empty when either is unknown
 * @param replayLag of a standby: see {@link ProbeObservation#replayLag()}
 * @param timeline timeline the node writes (primary) or receives (standby)
 * @param consecutiveFailures failed probes in a row
 * @param fenced never routed to while set; see the failover coordinator
 * @param readOnlyByDefault {@code default_transaction_read_only} is on, as a soft fence leaves it
 * @param walReceiver of a standby whose WAL receiver runs: status and upstream
 * @param lastProbeAt start of the latest probe
 * @param lastProbeLatency duration of the latest probe
 * @param lastError message of the latest failed probe, cleared by a success
 */
public record NodeState(
        String name,
        String host,
        int port,
        int priority,
        Role role,
        Health health,
        Optional<Lsn> currentLsn,
        Optional<Lsn> receiveLsn,
        Optional<Lsn> replayLsn,
        OptionalLong lagBytes,
        Optional<Duration> replayLag,
        OptionalLong timeline,
        int consecutiveFailures,
        boolean fenced,
        boolean readOnlyByDefault,
        Optional<WalReceiverStatus> walReceiver,
        Optional<Instant> lastProbeAt,
        Optional<Duration> lastProbeLatency,
        Optional<String> lastError) {

    public NodeState {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(currentLsn, "currentLsn");
        Objects.requireNonNull(receiveLsn, "receiveLsn");
        Objects.requireNonNull(replayLsn, "replayLsn");
        Objects.requireNonNull(lagBytes, "lagBytes");
        Objects.requireNonNull(replayLag, "replayLag");
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(walReceiver, "walReceiver");
        Objects.requireNonNull(lastProbeAt, "lastProbeAt");
        Objects.requireNonNull(lastProbeLatency, "lastProbeLatency");
        Objects.requireNonNull(lastError, "lastError");
    }

    /**
     * A backend not probed yet: role UNKNOWN and health DOWN, so nothing is routed to it before
     * a probe has answered.
     */
    public static NodeState initial(BackendSettings backend) {
        return new NodeState(backend.name(), backend.host(), backend.port(), backend.priority(), Role.UNKNOWN,
                Health.DOWN, Optional.empty(), Optional.empty(), Optional.empty(), OptionalLong.empty(),
                Optional.empty(), OptionalLong.empty(), 0, false, false, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /**
     * The state after one more probe: a success makes the node UP with what it reported; a
     * failure makes it SUSPECT, or DOWN from the {@code failuresBeforeDown}-th failure in a row
     * (a node never reached stays DOWN). WAL positions of a failed node are kept as last seen,
     * since failover compares against the lost primary's last known position.
     */
    public NodeState afterProbe(ProbeOutcome outcome, int failuresBeforeDown) {
        if (outcome instanceof ProbeSuccess success) {
            ProbeObservation seen = success.observation();
            return new NodeState(name, host, port, priority, seen.inRecovery() ? Role.STANDBY : Role.PRIMARY,
                    Health.UP, seen.currentLsn(), seen.receiveLsn(), seen.replayLsn(), lagBytes,
                    seen.replayLag(), seen.timeline(), 0, fenced, seen.defaultTransactionReadOnly(),
                    seen.walReceiver(), Optional.of(success.startedAt()), Optional.of(success.latency()),
                    Optional.empty());
        }
        ProbeFailure failure = (ProbeFailure) outcome;
        int failures = consecutiveFailures + 1;
        boolean down = failures >= failuresBeforeDown || lastProbeAt.isEmpty() || health == Health.DOWN;
        return new NodeState(name, host, port, priority, down ? Role.UNKNOWN : role,
                down ? Health.DOWN : Health.SUSPECT, currentLsn, receiveLsn, replayLsn, lagBytes, replayLag,
                timeline, failures, fenced, readOnlyByDefault, down ? Optional.empty() : walReceiver,
                Optional.of(failure.startedAt()), Optional.of(failure.latency()),
                Optional.of(failure.kind() + ": " + failure.message()));
    }

    public NodeState withFenced(boolean fenced) {
        return new NodeState(name, host, port, priority, role, health, currentLsn, receiveLsn, replayLsn, lagBytes,
                replayLag, timeline, consecutiveFailures, fenced, readOnlyByDefault, walReceiver, lastProbeAt,
                lastProbeLatency, lastError);
    }

    /** The same node with another configured failover priority (a reload). */
    public NodeState withPriority(int priority) {
        return new NodeState(name, host, port, priority, role, health, currentLsn, receiveLsn, replayLsn, lagBytes,
                replayLag, timeline, consecutiveFailures, fenced, readOnlyByDefault, walReceiver, lastProbeAt,
                lastProbeLatency, lastError);
    }

    public NodeState withLagBytes(OptionalLong lagBytes) {
        return new NodeState(name, host, port, priority, role, health, currentLsn, receiveLsn, replayLsn, lagBytes,
                replayLag, timeline, consecutiveFailures, fenced, readOnlyByDefault, walReceiver, lastProbeAt,
                lastProbeLatency, lastError);
    }

    /**
     * The furthest WAL position last seen on this node: current position of a primary, or the
     * later of received and replayed on a standby.
     */
    public Optional<Lsn> position() {
        if (role == Role.PRIMARY || (currentLsn.isPresent() && receiveLsn.isEmpty() && replayLsn.isEmpty())) {
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

    /** Whether the node answers and reports itself writable. */
    public boolean writable() {
        return health != Health.DOWN && role == Role.PRIMARY;
    }

    /** Whether its WAL receiver has a live connection to an upstream. */
    public boolean streaming() {
        return walReceiver.map(WalReceiverStatus::streaming).orElse(false);
    }

    /** {@code host:port} as configured. */
    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
