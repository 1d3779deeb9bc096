package io.pgwarden.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgwarden.cluster.LocalCluster;
import io.pgwarden.cluster.LocalNode;
import io.pgwarden.health.event.ClusterEvent;
import io.pgwarden.health.event.EventKind;
import io.pgwarden.health.topology.NodeState;
import io.pgwarden.health.topology.Topology;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product's promise end to end: a client writing through pgwarden's read-write listener
 * keeps writing after the primary is killed, on the promoted standby, with nothing but a retry
 * of the failed connection; and the old primary, restarted as it was, never gets a session.
 */
class FailoverThroughProxyIT {

    private static final Duration DEADLINE = ProxiedCluster.DEADLINE;

    @TempDir
    static Path stateDir;

    private static ProxiedCluster proxied;
    private static LocalCluster cluster;
    private static PgwardenRuntime pgwarden;

    @BeforeAll
    static void startClusterAndProxy() throws IOException {
        proxied = ProxiedCluster.start(stateDir, "CREATE TABLE writes (id bigint PRIMARY KEY, at timestamptz DEFAULT now())");
        cluster = proxied.cluster();
        pgwarden = proxied.pgwarden();
    }

    @AfterAll
    static void stop() {
        if (proxied != null) {
            proxied.close();
        }
    }

    @Test
    void writesResumeOnThePromotedStandbyAndTheRestartedOldPrimaryIsNeverRouted() throws Exception {
        LocalNode oldPrimary = cluster.primary();
        assertThat(pgwarden.topology().current().primary()).contains(oldPrimary.name());
        Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicLong lastAckNanos = new AtomicLong();
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread writer = new Thread(() -> writeLoop(acknowledged, lastAckNanos, running, writerFailure), "writer");
        writer.start();
        try {
            await().atMost(DEADLINE).until(() -> acknowledged.size() >= 50);

            long killedAt = System.nanoTime();
            Instant killedInstant = Instant.now();
            oldPrimary.kill9();
            int acknowledgedAtKill = acknowledged.size();

            await().atMost(DEADLINE).until(() -> lastAckNanos.get() > killedAt && acknowledged.size() > acknowledgedAtKill + 50);
            // The first write acknowledged after the writer first noticed the failover.
            long firstFailure = failureTimes.stream().filter(t -> t > killedAt).min(Long::compare).orElseThrow();
            long firstWriteAfter = firstAckAfter(firstFailure);

            Topology topology = pgwarden.topology().current();
            String newPrimary = topology.primary().orElseThrow();
            assertThat(newPrimary).isNotEqualTo(oldPrimary.name());
            assertThat(cluster.node(newPrimary).isInRecovery()).isFalse();
            report(killedInstant, firstWriteAfter - killedAt);

            // Every acknowledged write survived the failover.
            running.set(false);
            writer.join(DEADLINE.toMillis());
            assertThat(writerFailure.get()).isNull();
            assertThat(idsOn(cluster.node(newPrimary))).containsAll(acknowledged);

            // The old primary comes back as it was, still believing it is primary.
            // (pgwarden soft-fences it at once, ending its client backends, so probe nothing here.)
            oldPrimary.start();
            await().atMost(DEADLINE).until(() -> pgwarden.monitor().events().all().stream()
                    .anyMatch(event -> event.kind() == EventKind.ROGUE_PRIMARY
                            && event.node().equals(java.util.Optional.of(oldPrimary.name()))));
            assertThat(pgwarden.topology().current().node(oldPrimary.name()).map(NodeState::fenced)).contains(true);
            assertThat(pgwarden.topology().current().primary()).contains(newPrimary);
            for (int i = 0; i < 20; i++) {
                try (Connection connection = proxied.connectReadWrite()) {
                    assertThat(serverPort(connection)).isEqualTo(cluster.node(newPrimary).port());
                }
            }
        } finally {
            running.set(false);
            writer.join(DEADLINE.toMillis());
        }
    }

    private final Map<Long, Long> ackTimes = new ConcurrentHashMap<>();
    private final java.util.Queue<Long> failureTimes = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private void writeLoop(Set<Long> acknowledged, AtomicLong lastAckNanos, AtomicBoolean running,
            AtomicReference<Throwable> failure) {
        long id = 0;
        Connection connection = null;
        try {
            while (running.get()) {
                id++;
                try {
                    if (connection == null) {
                        connection = proxied.connectReadWrite();
                    }
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO writes (id) VALUES (?)")) {
                        insert.setLong(1, id);
                        insert.executeUpdate();
                    }
                    long now = System.nanoTime();
                    acknowledged.add(id);
                    ackTimes.put(id, now);
                    lastAckNanos.set(now);
                } catch (SQLException e) {
                    // The failover ends this session (57P01) or the connection breaks: reconnect.
                    failureTimes.add(System.nanoTime());
                    ProxiedCluster.closeQuietly(connection);
                    connection = null;
                    pause();
                }
            }
        } catch (RuntimeException e) {
            failure.set(e);
        } finally {
            ProxiedCluster.closeQuietly(connection);
        }
    }

    private long firstAckAfter(long nanos) {
        return ackTimes.values().stream().filter(t -> t > nanos).min(Long::compare).orElseThrow();
    }

    private static void report(Instant killedAt, long firstWriteNanos) {
        List<ClusterEvent> events = pgwarden.monitor().events().since(killedAt);
        StringBuilder line = new StringBuilder("failover through the proxy after kill -9:");
        for (ClusterEvent event : events) {
            if (event.kind() == EventKind.PRIMARY_LOST || event.kind() == EventKind.NODE_FENCED
                    || event.kind() == EventKind.PRIMARY_ELECTED) {
                line.append(' ').append(event.kind()).append(" +")
                        .append(Duration.between(killedAt, event.time()).toMillis()).append("ms");
            }
        }
        line.append(" first successful write +").append(Duration.ofNanos(firstWriteNanos).toMillis()).append("ms");
        System.out.println(line);
    }

    private static Set<Long> idsOn(LocalNode node) throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (Connection connection = node.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id FROM writes")) {
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
        }
        return ids;
    }

    private static int serverPort(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT inet_server_port()")) {
            row.next();
            return row.getInt(1);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20); // back-off between reconnect attempts, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
