package io.pgwarden.server.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgwarden.proxy.listener.ProxyServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chaos through pgwarden: writers append unique ids through the read-write listener while the
 * suite kills, freezes, restarts and cuts off nodes, round after round. After each round the
 * cluster is restored and the invariants are checked:
 * <ul>
 *   <li>with synchronous replication, every acknowledged id is on the primary: none lost;</li>
 *   <li>no row was written on a node outside its terms as pgwarden's elected primary, in
 *       particular none after pgwarden fenced it (each row carries the writing server's name
 *       and clock, stamped by a trigger, and old primaries are read before their rewind);</li>
 *   <li>pgwarden never routed write sessions to two nodes in one epoch, nor elected a primary
 *       while the previous one was unfenced;</li>
 *   <li>pgwarden stays up, and once the clients are gone its sessions, heap and file
 *       descriptors are back where they started, with no buffer leak reported.</li>
 * </ul>
 * The short form (one round of each fault) runs in {@code mvn verify}; the long form takes
 * {@code -Dpgwarden.chaos.rounds=50} (see docs/chaos.md).
 */
@Tag("chaos")
class ChaosSuiteIT {

    private static final int ROUNDS = Integer.getInteger("pgwarden.chaos.rounds", Fault.values().length);
    private static final int ASYNC_ROUNDS = Integer.getInteger("pgwarden.chaos.async-rounds", 2);
    private static final int WRITERS = Integer.getInteger("pgwarden.chaos.writers", 3);
    private static final long SEED = Long.getLong("pgwarden.chaos.seed", 20240601L);
    private static final long ASYNC_MAX_LAG = Long.getLong("pgwarden.chaos.async-max-lag", 256 * 1024);

    /** Heap the JVM may keep beyond the baseline once the clients are gone: pools, caches, the test's own records. */
    private static final long HEAP_TOLERANCE = 48L * 1024 * 1024;
    private static final long FD_TOLERANCE = 16;

    @TempDir
    Path stateDirectory;

    @Test
    void synchronousReplicationLosesNoAcknowledgedWriteAndNoWriteReachesAFencedNode() throws Exception {
        ChaosSummary summary = new ChaosSummary(String.format(Locale.ROOT,
                "chaos summary: synchronous replication (ANY 1), %d rounds, %d writers, seed %d", ROUNDS, WRITERS, SEED));
        try (LeakReports leaks = new LeakReports();
                ChaosCluster chaos = ChaosCluster.start(new ChaosCluster.Options(true, 16L * 1024 * 1024),
                        stateDirectory)) {
            ProcessResources baseline = warmUp(chaos);
            List<Fault> schedule = List.of(Fault.values());
            try {
                try (WriteLoad writes = new WriteLoad(chaos::connect)) {
                    writes.start(WRITERS);
                    ChaosRound rounds = new ChaosRound(chaos, writes, new Random(SEED), new BitSet());
                    for (int round = 1; round <= ROUNDS; round++) {
                        summary.add(rounds.run(round, schedule.get((round - 1) % schedule.size())));
                    }
                    noteWriters(summary, writes);
                }
                checkReturnsToBaseline(chaos, baseline, summary, leaks);
            } finally {
                summary.note("routing (routed primary per epoch): " + chaos.observer().routedByEpoch());
                report(summary, "synchronous");
            }
            assertThat(summary.lostWrites()).as("acknowledged writes lost with synchronous replication").isZero();
            assertThat(summary.violations()).as("invariant violations").isEmpty();
            assertThat(chaos.observer().routingViolations()).as("routing violations").isEmpty();
            assertThat(leaks.reports()).as("Netty buffer leak reports").isEmpty();
        }
    }

    /**
     * With asynchronous replication a failover may lose what the primary acknowledged but had
     * not sent yet. {@code max-lag-on-failover} bounds that loss, though only as far as pgwarden
     * knew the primary's position: it refuses a candidate further behind the lost primary's
     * <em>last probed</em> WAL position than the limit. So the check is: the acknowledged ids lost
     * whose COMMIT was acknowledged before that last successful probe started (their WAL lies
     * below the probed position, and above the promoted standby's) took at least
     * {@code lost * min-WAL-bytes-per-commit} bytes of WAL, which must not exceed the limit. Ids
     * acknowledged after the last successful probe are bounded only by the detection time, and
     * are reported as such.
     */
    @Test
    void asynchronousReplicationLosesNoMoreThanMaxLagOnFailoverAllows() throws Exception {
        ChaosSummary summary = new ChaosSummary(String.format(Locale.ROOT,
                "chaos summary: asynchronous replication, %d rounds of kill -9 of the primary, %d writers,"
                        + " max-lag-on-failover %d bytes", ASYNC_ROUNDS, WRITERS, ASYNC_MAX_LAG));
        List<String> boundViolations = new ArrayList<>();
        try (LeakReports leaks = new LeakReports();
                ChaosCluster chaos = ChaosCluster.start(new ChaosCluster.Options(false, ASYNC_MAX_LAG),
                        stateDirectory)) {
            ProcessResources baseline = warmUp(chaos);
            long walPerCommit = chaos.minWalBytesPerCommit(50);
            summary.note("fewest WAL bytes per writer transaction (of 50 measured): " + walPerCommit);
            long boundedLost = 0;
            long unboundedLost = 0;
            try {
                try (WriteLoad writes = new WriteLoad(chaos::connect)) {
                    writes.start(WRITERS);
                    ChaosRound rounds = new ChaosRound(chaos, writes, new Random(SEED), new BitSet());
                    for (int round = 1; round <= ASYNC_ROUNDS; round++) {
                        ChaosRound.Report report = rounds.run(round, Fault.KILL_PRIMARY);
                        summary.add(report);
                        Instant lastProbe = report.oldPrimaryLastProbe().orElse(Instant.MAX);
                        long afterProbe = report.lostAcks().stream()
                                .filter(ack -> !ack.ackedAt().isBefore(lastProbe)).count();
                        // Lost ids whose acknowledgement time is unknown count against the bound.
                        long beforeProbe = report.lostIds().cardinality() - afterProbe;
                        boundedLost += beforeProbe;
                        unboundedLost += afterProbe;
                        summary.note(String.format(Locale.ROOT, "round %d: lost %d acknowledged before the last"
                                        + " successful probe of %s started (%d WAL bytes at least, limit %d) and %d"
                                        + " acknowledged after it; that probe started %s ms relative to the kill"
                                        + " command", round, beforeProbe, report.target(), beforeProbe * walPerCommit,
                                ASYNC_MAX_LAG, afterProbe, report.oldPrimaryLastProbe().flatMap(probe -> report.faultAt()
                                        .map(fault -> String.format(Locale.ROOT, "%+d",
                                                Duration.between(fault, probe).toMillis()))).orElse("?")));
                        if (beforeProbe * walPerCommit > ASYNC_MAX_LAG) {
                            boundViolations.add("round " + round + ": " + beforeProbe + " lost commits of at least "
                                    + walPerCommit + " WAL bytes each exceed max-lag-on-failover " + ASYNC_MAX_LAG);
                        }
                    }
                    noteWriters(summary, writes);
                }
                summary.note("lost acknowledged writes: " + boundedLost + " within the probed position (bounded by"
                        + " max-lag-on-failover), " + unboundedLost + " after the last successful probe");
                checkReturnsToBaseline(chaos, baseline, summary, leaks);
            } finally {
                report(summary, "asynchronous");
            }
            assertThat(boundViolations).as("losses beyond max-lag-on-failover").isEmpty();
            assertThat(summary.violations()).as("invariant violations").isEmpty();
            assertThat(chaos.observer().routingViolations()).as("routing violations").isEmpty();
            assertThat(leaks.reports()).as("Netty buffer leak reports").isEmpty();
        }
    }

    /** Opens and closes sessions on both listeners, so lazily created pools exist before the baseline. */
    private static ProcessResources warmUp(ChaosCluster chaos) throws Exception {
        for (int i = 0; i < 10; i++) {
            for (String listener : List.of("rw", "ro")) {
                try (Connection connection = chaos.connect(listener, "chaos-warm-up");
                        Statement statement = connection.createStatement();
                        ResultSet row = statement.executeQuery("SELECT count(*) FROM chaos_writes")) {
                    row.next();
                }
            }
        }
        awaitNoSessions(chaos.pgwarden().proxy());
        return ProcessResources.measure();
    }

    private static void noteWriters(ChaosSummary summary, WriteLoad writes) {
        summary.note(String.format(Locale.ROOT, "writers: %d acknowledged in all, %d failed transactions, %d COMMITs"
                        + " in doubt, %d COMMITs with the synchronous wait canceled (not counted as acknowledged)",
                writes.acknowledgedCount(), writes.failures(), writes.inDoubt(), writes.unreplicatedCommits()));
    }

    /**
     * Once every client is gone, pgwarden holds no session, cancel key or backend connection, and
     * its heap and file descriptors are back near the baseline.
     */
    private static void checkReturnsToBaseline(ChaosCluster chaos, ProcessResources baseline, ChaosSummary summary,
            LeakReports leaks) throws Exception {
        ProxyServer proxy = chaos.pgwarden().proxy();
        awaitNoSessions(proxy);
        // New buffers make Netty's leak detector look at what the collections found unreachable.
        System.gc();
        warmUp(chaos);
        await("file descriptors back near " + baseline.fileDescriptors()).atMost(ChaosCluster.DEADLINE)
                .until(() -> ProcessResources.openFileDescriptors() <= baseline.fileDescriptors() + FD_TOLERANCE);
        ProcessResources after = ProcessResources.measure();
        summary.note("pgwarden: accepted " + proxy.statistics().acceptedConnections("rw") + " rw and "
                + proxy.statistics().acceptedConnections("ro") + " ro connections; " + baseline + " before, " + after
                + " after the run; Netty leak reports: " + leaks.reports().size());
        assertThat(after.heapBytes()).as("heap after the run (baseline %s)", baseline)
                .isLessThanOrEqualTo(baseline.heapBytes() + HEAP_TOLERANCE);
    }

    private static void awaitNoSessions(ProxyServer proxy) {
        await("pgwarden to hold no client session").atMost(ChaosCluster.DEADLINE).until(() ->
                proxy.clientConnections() == 0 && proxy.sessions().isEmpty() && proxy.issuedCancelKeys() == 0
                        && proxy.statistics().heldSessions() == 0
                        && proxy.statistics().backendSessions().values().stream().allMatch(count -> count == 0));
    }

    private static void report(ChaosSummary summary, String name) throws IOException {
        String text = summary.render();
        System.out.println(text);
        Path directory = Path.of("target", "chaos");
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(name + "-summary.txt"), text, StandardCharsets.UTF_8);
    }
}
