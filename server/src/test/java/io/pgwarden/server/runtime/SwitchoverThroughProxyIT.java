package io.pgwarden.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgwarden.cluster.LocalCluster;
import io.pgwarden.cluster.LocalNode;
import io.pgwarden.health.failover.FailoverResult;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A planned switchover while several clients write in explicit transactions through pgwarden:
 * no transaction is cut in the middle, no acknowledged commit is lost, and the clients only
 * reconnect when pgwarden ends their idle sessions.
 */
class SwitchoverThroughProxyIT {

    private static final Duration DEADLINE = ProxiedCluster.DEADLINE;
    private static final int WRITERS = 4;

    @TempDir
    static Path stateDir;

    private static ProxiedCluster proxied;
    private static LocalCluster cluster;
    private static PgwardenRuntime pgwarden;

    @BeforeAll
    static void start() throws IOException {
        proxied = ProxiedCluster.start(stateDir, "CREATE TABLE ledger (writer int, seq bigint, PRIMARY KEY (writer, seq))");
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
    void noTransactionIsCutAndNoCommitIsLost() throws Exception {
        LocalNode oldPrimary = cluster.primary();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Queue<Long> ackTimes = new ConcurrentLinkedQueue<>();
        Queue<String> cutMidTransaction = new ConcurrentLinkedQueue<>();
        AtomicLong reconnects = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            Thread thread = new Thread(() -> write(writer, acknowledged, ackTimes, cutMidTransaction, reconnects, running),
                    "writer-" + w);
            thread.start();
            writers.add(thread);
        }
        try {
            await().atMost(DEADLINE).until(() -> acknowledged.size() >= 100);

            long startedAt = System.nanoTime();
            FailoverResult result = pgwarden.monitor().switchover(Optional.empty()).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            long finishedAt = System.nanoTime();
            assertThat(result.succeeded()).as(result.message()).isTrue();
            String newPrimary = result.newPrimary().orElseThrow();
            assertThat(newPrimary).isNotEqualTo(oldPrimary.name());

            int atSwitchover = acknowledged.size();
            await().atMost(DEADLINE).until(() -> acknowledged.size() >= atSwitchover + 100);
            running.set(false);
            for (Thread thread : writers) {
                thread.join(DEADLINE.toMillis());
            }

            assertThat(cutMidTransaction).as("transactions cut after BEGIN").isEmpty();
            assertThat(rowsOn(cluster.node(newPrimary))).containsAll(acknowledged);
            System.out.printf("switchover %s -> %s with %d writers: coordinator %d ms, longest gap between commits %d ms,"
                            + " %d reconnects, %d commits%n", oldPrimary.name(), newPrimary, WRITERS,
                    result.duration().toMillis(), longestGapMillis(ackTimes, startedAt, finishedAt), reconnects.get(),
                    acknowledged.size());
        } finally {
            running.set(false);
            for (Thread thread : writers) {
                thread.join(DEADLINE.toMillis());
            }
        }
    }

    private static void write(int writer, Set<String> acknowledged, Queue<Long> ackTimes, Queue<String> cut,
            AtomicLong reconnects, AtomicBoolean running) {
        long seq = 0;
        Connection connection = null;
        while (running.get()) {
            seq++;
            boolean begun = false;
            try {
                if (connection == null) {
                    connection = proxied.connectReadWrite();
                    connection.setAutoCommit(false);
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT 1"); // the transaction's first statement: may be held, or refused
                    begun = true;
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO ledger VALUES (?, ?)")) {
                    insert.setInt(1, writer);
                    insert.setLong(2, seq);
                    insert.executeUpdate();
                }
                connection.commit();
                acknowledged.add(writer + ":" + seq);
                ackTimes.add(System.nanoTime());
            } catch (SQLException e) {
                if (begun) {
                    cut.add(writer + ":" + seq + " " + e.getSQLState() + " " + e.getMessage());
                }
                ProxiedCluster.closeQuietly(connection);
                connection = null;
                reconnects.incrementAndGet();
            }
        }
        ProxiedCluster.closeQuietly(connection);
    }

    private static long longestGapMillis(Queue<Long> ackTimes, long from, long to) {
        List<Long> times = new ArrayList<>(ackTimes);
        times.sort(Long::compare);
        long gap = 0;
        long previous = from;
        for (long time : times) {
            if (time < from) {
                continue;
            }
            gap = Math.max(gap, time - previous);
            previous = time;
            if (time > to) {
                break;
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(gap);
    }

    private static Set<String> rowsOn(LocalNode node) throws SQLException {
        Set<String> rows = new HashSet<>();
        try (Connection connection = node.connect();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT writer, seq FROM ledger")) {
            while (result.next()) {
                rows.add(result.getInt(1) + ":" + result.getLong(2));
            }
        }
        return rows;
    }
}
