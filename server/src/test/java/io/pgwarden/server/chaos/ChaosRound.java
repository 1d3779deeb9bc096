package io.pgwarden.server.chaos;

import static org.awaitility.Awaitility.await;

import io.pgwarden.cluster.LocalNode;
import io.pgwarden.health.event.ClusterEvent;
import io.pgwarden.health.event.EventKind;
import io.pgwarden.health.event.Reason;
import io.pgwarden.health.topology.Health;
import io.pgwarden.health.topology.NodeState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One round: inject a fault while the writers keep writing, wait for pgwarden to deal with it,
 * restore the cluster, then check the invariants on what the nodes hold and what pgwarden did.
 */
final class ChaosRound {

    /** How long a cut path or a dead standby stays so after pgwarden has noticed. */
    private static final Duration OUTAGE = Duration.ofSeconds(3);
    /** Acknowledged writes that prove writing goes on. */
    private static final int PROGRESS = 20;

    /**
     * Failover timings, from the moment the fault was injected.
     *
     * @param detected pgwarden declared the primary lost
     * @param fenced pgwarden fenced it
     * @param elected pgwarden elected the new primary
     * @param firstWrite a writer's first acknowledged commit on the new primary
     */
    record FailoverTiming(Optional<Duration> detected, Optional<Duration> fenced, Optional<Duration> elected,
            Optional<Duration> firstWrite) {
    }

    /**
     * What a round did and found.
     *
     * @param target the node the fault hit
     * @param outcome what pgwarden did about it, in words
     * @param failover timings, when pgwarden failed over
     * @param oldPrimaryLastProbe start of the last probe of the lost primary that succeeded
     * @param acknowledged writes acknowledged during the round
     * @param lostIds acknowledged ids missing from the primary after the round (none before)
     * @param lostAcks the acknowledgements of those ids
     * @param violations broken invariants, each described
     */
    record Report(int round, Fault fault, String target, String outcome, Optional<FailoverTiming> failover,
            Optional<Instant> faultAt, Optional<Instant> oldPrimaryLastProbe, long acknowledged, BitSet lostIds,
            List<WriteLoad.Ack> lostAcks, List<String> violations, Duration duration,
            ChaosCluster.Restoration restoration) {
    }

    private final ChaosCluster chaos;
    private final WriteLoad writes;
    private final Random random;
    private final BitSet knownLost;

    /** @param knownLost ids found lost in earlier rounds (asynchronous replication); not reported again */
    ChaosRound(ChaosCluster chaos, WriteLoad writes, Random random, BitSet knownLost) {
        this.chaos = chaos;
        this.writes = writes;
        this.random = random;
        this.knownLost = knownLost;
    }

    Report run(int round, Fault fault) throws Exception {
        long started = System.nanoTime();
        Instant roundStart = Instant.now();
        List<String> violations = new ArrayList<>();
        awaitProgress(roundStart, "writes before the fault");
        Injected injected = switch (fault) {
            case KILL_PRIMARY -> killPrimary(false, violations);
            case RESTARTED_OLD_PRIMARY -> killPrimary(true, violations);
            case SIGSTOP_PRIMARY -> suspendPrimary(violations);
            case SEVER_PRIMARY_PATH -> severPrimaryPath(violations);
            case SEVER_STANDBY_PATH -> severStandbyPath(violations);
            case KILL_STANDBY -> killStandby(violations);
        };
        ChaosCluster.Restoration restoration = chaos.restore(roundStart);
        Instant restored = Instant.now();
        awaitProgress(restored, "writes after the restore");

        LocalNode primary = chaos.awaitRoutablePrimary();
        WriteWindows windows = chaos.observer().writeWindows();
        for (Map.Entry<String, List<ChaosCluster.Row>> held : restoration.rowsOnOldPrimaries().entrySet()) {
            checkRows("on old primary " + held.getKey() + " before its rewind", held.getValue(), windows, violations);
        }
        checkRows("on primary " + primary.name(), chaos.rowsSince(primary, roundStart), windows, violations);

        BitSet acknowledged = writes.acknowledgedIds();
        List<WriteLoad.Ack> acks = writes.takeRecent();
        for (WriteLoad.Ack ack : acks) {
            if (!windows.permits(ack.node(), ack.insertedAt())) {
                violations.add("acknowledged id " + ack.id() + " was written on " + ack.node() + " at "
                        + ack.insertedAt() + ", " + windows.explain(ack.node(), ack.insertedAt()));
            }
        }
        BitSet lost = (BitSet) acknowledged.clone();
        lost.andNot(chaos.ids(primary));
        lost.andNot(knownLost);
        knownLost.or(lost);
        List<WriteLoad.Ack> lostAcks = acks.stream().filter(ack -> lost.get(Math.toIntExact(ack.id()))).toList();

        return new Report(round, fault, injected.target(), injected.outcome(), injected.failover(),
                injected.faultAt(), injected.oldPrimaryLastProbe(), acks.size(), lost, lostAcks, violations,
                Duration.ofNanos(System.nanoTime() - started), restoration);
    }

    private record Injected(String target, String outcome, Optional<Instant> faultAt,
            Optional<FailoverTiming> failover, Optional<Instant> oldPrimaryLastProbe) {
    }

    // ------------------------------------------------------------------ faults

    private Injected killPrimary(boolean restartAsItWas, List<String> violations) throws Exception {
        LocalNode old = chaos.awaitRoutablePrimary();
        Instant faultAt = Instant.now();
        old.kill9();
        String next = awaitFailover(old, faultAt);
        Optional<Instant> lastProbe = chaos.observer().lastSuccessfulProbe(old.name());
        FailoverTiming timing = timing(old.name(), next, faultAt);
        String outcome = "failed over to " + next;
        if (restartAsItWas) {
            Instant restartedAt = Instant.now();
            old.start();
            awaitRefusedAsRogue(old, restartedAt);
            checkNeverRouted(old, next, violations);
            outcome += "; restarted " + old.name() + " refused as rogue primary and soft-fenced";
        }
        return new Injected(old.name(), outcome, Optional.of(faultAt), Optional.of(timing), lastProbe);
    }

    private Injected suspendPrimary(List<String> violations) throws Exception {
        LocalNode old = chaos.awaitRoutablePrimary();
        Instant faultAt = Instant.now();
        old.sigstop();
        // Left suspended if pgwarden never fails over: restore() and the cluster's teardown resume it.
        String next = awaitFailover(old, faultAt);
        Optional<Instant> lastProbe = chaos.observer().lastSuccessfulProbe(old.name());
        FailoverTiming timing = timing(old.name(), next, faultAt);
        Instant resumedAt = Instant.now();
        old.sigcont();
        awaitRefusedAsRogue(old, resumedAt);
        checkNeverRouted(old, next, violations);
        return new Injected(old.name(), "failed over to " + next + "; resumed " + old.name()
                + " refused as rogue primary and soft-fenced", Optional.of(faultAt), Optional.of(timing), lastProbe);
    }

    private Injected severPrimaryPath(List<String> violations) throws Exception {
        LocalNode primary = chaos.awaitRoutablePrimary();
        TcpRelay relay = chaos.relay(primary.name());
        long epoch = chaos.pgwarden().topology().current().epoch();
        Instant faultAt = Instant.now();
        relay.sever();
        String outcome;
        try {
            await("pgwarden to find " + primary.name() + " down").atMost(ChaosCluster.DEADLINE)
                    .until(() -> chaos.state(primary.name()).health() == Health.DOWN);
            // The standbys still stream from the primary: the proxy is cut off, not the primary.
            boolean held = holds(OUTAGE, () -> chaos.pgwarden().topology().current().epoch() == epoch);
            Optional<ClusterEvent> hold = chaos.observer().first(EventKind.FAILOVER_HELD, faultAt,
                    event -> event.reason() == Reason.STANDBY_STILL_STREAMING);
            if (!held) {
                violations.add("pgwarden failed over although its path to " + primary.name()
                        + " was cut while the standbys streamed from it: " + elections(faultAt));
            }
            outcome = held ? "failover held back (" + hold.map(event -> event.reason().name()).orElse("no event")
                    + "), no election" : "failed over: " + elections(faultAt);
        } finally {
            relay.restore();
        }
        if (chaos.pgwarden().topology().current().epoch() == epoch) {
            await(primary.name() + " routed again after the path healed").atMost(ChaosCluster.DEADLINE)
                    .until(() -> chaos.routablePrimary().equals(Optional.of(primary.name())));
            awaitProgress(Instant.now(), "writes on " + primary.name() + " after the path healed");
        }
        return new Injected(primary.name(), outcome, Optional.of(faultAt), Optional.empty(), Optional.empty());
    }

    private Injected severStandbyPath(List<String> violations) throws Exception {
        LocalNode primary = chaos.awaitRoutablePrimary();
        LocalNode standby = pickStandby(primary);
        TcpRelay relay = chaos.relay(standby.name());
        long epoch = chaos.pgwarden().topology().current().epoch();
        Instant faultAt = Instant.now();
        relay.sever();
        try {
            await("pgwarden to find " + standby.name() + " down").atMost(ChaosCluster.DEADLINE)
                    .until(() -> chaos.state(standby.name()).health() == Health.DOWN);
            Instant down = Instant.now();
            boolean stable = holds(OUTAGE, () -> chaos.pgwarden().topology().current().epoch() == epoch);
            if (!stable) {
                violations.add("pgwarden failed over when its path to standby " + standby.name() + " was cut: "
                        + elections(faultAt));
            }
            awaitProgress(down, "writes while the path to " + standby.name() + " is cut");
        } finally {
            relay.restore();
        }
        return new Injected(standby.name(), "standby out of routing while cut, no election", Optional.of(faultAt),
                Optional.empty(), Optional.empty());
    }

    private Injected killStandby(List<String> violations) throws Exception {
        LocalNode primary = chaos.awaitRoutablePrimary();
        LocalNode standby = pickStandby(primary);
        long epoch = chaos.pgwarden().topology().current().epoch();
        Instant faultAt = Instant.now();
        standby.kill9();
        await("pgwarden to find " + standby.name() + " down").atMost(ChaosCluster.DEADLINE)
                .until(() -> chaos.state(standby.name()).health() == Health.DOWN);
        Instant down = Instant.now();
        awaitProgress(down, "writes while " + standby.name() + " is dead");
        if (chaos.pgwarden().topology().current().epoch() != epoch) {
            violations.add("pgwarden failed over when standby " + standby.name() + " died: " + elections(faultAt));
        }
        return new Injected(standby.name(), "standby out of routing until restarted, no election",
                Optional.of(faultAt), Optional.empty(), Optional.empty());
    }

    // ------------------------------------------------------------------ waiting and checking

    /** Waits until pgwarden routes writes to another node than {@code old}; returns its name. */
    private String awaitFailover(LocalNode old, Instant faultAt) {
        await("pgwarden to fail over from " + old.name()).atMost(ChaosCluster.DEADLINE)
                .until(() -> chaos.routablePrimary().filter(name -> !name.equals(old.name())).isPresent());
        String next = chaos.routablePrimary().orElseThrow();
        awaitWriteOn(next, faultAt);
        return next;
    }

    private void awaitWriteOn(String node, Instant after) {
        await("an acknowledged write on " + node + " (last writer failure: " + writes.lastFailure() + ")")
                .atMost(ChaosCluster.DEADLINE).until(() -> writes.firstAckOn(node, after).isPresent());
    }

    private void awaitProgress(Instant after, String what) {
        await(what + " (last writer failure: " + writes.lastFailure() + ")").atMost(ChaosCluster.DEADLINE)
                .until(() -> writes.acksAfter(after) >= PROGRESS);
    }

    /** The returning old primary is reported rogue, and pgwarden's soft fence makes it read-only. */
    private void awaitRefusedAsRogue(LocalNode old, Instant since) {
        await(old.name() + " refused as a rogue primary").atMost(ChaosCluster.DEADLINE)
                .until(() -> chaos.observer().first(EventKind.ROGUE_PRIMARY, old.name(), since).isPresent());
        await(old.name() + " soft-fenced").atMost(ChaosCluster.DEADLINE).until(() -> {
            NodeState state = chaos.state(old.name());
            return state.fenced() && state.readOnlyByDefault();
        });
    }

    /** New write sessions land on the elected primary, never on the returned old one. */
    private void checkNeverRouted(LocalNode old, String elected, List<String> violations) throws Exception {
        for (int i = 0; i < 5; i++) {
            try (Connection connection = chaos.connect("rw", "chaos-route-check");
                    Statement statement = connection.createStatement();
                    ResultSet row = statement.executeQuery("SELECT current_setting('cluster_name')")) {
                row.next();
                String node = row.getString(1);
                if (!node.equals(elected)) {
                    violations.add("a write session was routed to " + node + " while " + old.name()
                            + " was a fenced rogue primary and " + elected + " the elected one");
                }
            }
        }
    }

    private static void checkRows(String where, List<ChaosCluster.Row> rows, WriteWindows windows,
            List<String> violations) {
        for (ChaosCluster.Row row : rows) {
            if (!windows.permits(row.node(), row.insertedAt())) {
                violations.add("id " + row.id() + " " + where + " was written on " + row.node() + " at "
                        + row.insertedAt() + ", " + windows.explain(row.node(), row.insertedAt()));
            }
        }
    }

    private FailoverTiming timing(String old, String next, Instant faultAt) {
        return new FailoverTiming(
                since(faultAt, chaos.observer().first(EventKind.PRIMARY_LOST, old, faultAt).map(ClusterEvent::time)),
                since(faultAt, chaos.observer().first(EventKind.NODE_FENCED, old, faultAt).map(ClusterEvent::time)),
                since(faultAt, chaos.observer().first(EventKind.PRIMARY_ELECTED, next, faultAt).map(ClusterEvent::time)),
                since(faultAt, writes.firstAckOn(next, faultAt).map(WriteLoad.Ack::ackedAt)));
    }

    private static Optional<Duration> since(Instant start, Optional<Instant> end) {
        return end.map(time -> Duration.between(start, time));
    }

    private String elections(Instant since) {
        return chaos.observer().elections(since).stream().map(ClusterEvent::summary).toList().toString();
    }

    private LocalNode pickStandby(LocalNode primary) {
        List<LocalNode> standbys = chaos.othersThan(primary);
        return standbys.get(random.nextInt(standbys.size()));
    }

    /** Whether {@code condition} stays true for {@code period}, checked as Awaitility polls. */
    private static boolean holds(Duration period, BooleanSupplier condition) {
        try {
            await().during(period).atMost(period.plusSeconds(2)).until(condition::getAsBoolean);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }
}
