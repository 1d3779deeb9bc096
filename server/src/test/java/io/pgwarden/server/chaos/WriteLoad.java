package io.pgwarden.server.chaos;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writers appending unique ids through pgwarden's read-write listener, each in an explicit
 * transaction ({@code BEGIN; INSERT ... RETURNING; COMMIT}). An id counts as acknowledged only
 * when its COMMIT returned success; a COMMIT that failed leaves the id in doubt (it may or may
 * not have committed), and an id whose INSERT failed was never written.
 *
 * <p>The table stamps each row on the server that executes the INSERT (see
 * {@link ChaosCluster#TABLE_DDL}); the writer keeps that stamp with the acknowledgement.
 */
final class WriteLoad implements AutoCloseable {

    private static final String INSERT =
            "INSERT INTO chaos_writes (id, writer) VALUES (?, ?) RETURNING node, inserted_at";

    /**
     * One acknowledged commit.
     *
     * @param id the row's id
     * @param node the server that executed the INSERT (its {@code cluster_name})
     * @param insertedAt {@code clock_timestamp()} on that server at the INSERT
     * @param ackedAt when the COMMIT's success reached the writer
     */
    record Ack(long id, String node, Instant insertedAt, Instant ackedAt) {
    }

    private final ChaosCluster.Connector connector;
    private final AtomicLong nextId = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong inDoubt = new AtomicLong();
    private final AtomicLong unreplicatedCommits = new AtomicLong();
    private final AtomicReference<String> lastFailure = new AtomicReference<>("none");
    private final List<Thread> threads = new ArrayList<>();
    /** Every acknowledged id; guarded by {@code this}. */
    private final BitSet acknowledged = new BitSet();
    /** Acknowledgements since the last {@link #takeRecent()}; guarded by {@code this}. */
    private List<Ack> recent = new ArrayList<>();
    private long acknowledgedCount;
    private volatile boolean running;

    WriteLoad(ChaosCluster.Connector connector) {
        this.connector = connector;
    }

    void start(int writers) {
        running = true;
        for (int i = 0; i < writers; i++) {
            int writer = i;
            Thread thread = new Thread(() -> writeLoop(writer), "chaos-writer-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    private void writeLoop(int writer) {
        Connection connection = null;
        while (running) {
            long id = nextId.incrementAndGet();
            boolean committing = false;
            try {
                if (connection == null) {
                    connection = connector.connect("rw", "chaos-writer-" + writer);
                    connection.setAutoCommit(false);
                }
                String node;
                Instant insertedAt;
                try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                    insert.setLong(1, id);
                    insert.setInt(2, writer);
                    try (ResultSet row = insert.executeQuery()) {
                        row.next();
                        node = row.getString(1);
                        insertedAt = row.getObject(2, OffsetDateTime.class).toInstant();
                    }
                }
                committing = true;
                connection.commit();
                Instant ackedAt = Instant.now();
                if (replicationWaitCanceled(connection.getWarnings())) {
                    // PostgreSQL reports success for a COMMIT whose wait for the synchronous
                    // standby was canceled: it is committed locally only, so it is not an
                    // acknowledgement that synchronous replication guarantees.
                    unreplicatedCommits.incrementAndGet();
                    connection.clearWarnings();
                    continue;
                }
                acknowledge(new Ack(id, node, insertedAt, ackedAt));
            } catch (SQLException | RuntimeException e) {
                failures.incrementAndGet();
                if (committing) {
                    inDoubt.incrementAndGet();
                }
                lastFailure.set(e.getClass().getSimpleName() + ": " + e.getMessage());
                closeQuietly(connection);
                connection = null;
                backOff();
            }
        }
        closeQuietly(connection);
    }

    private static boolean replicationWaitCanceled(SQLWarning warning) {
        for (SQLWarning w = warning; w != null; w = w.getNextWarning()) {
            if (w.getMessage() != null && w.getMessage().contains("synchronous replication")) {
                return true;
            }
        }
        return false;
    }

    private synchronized void acknowledge(Ack ack) {
        acknowledged.set(Math.toIntExact(ack.id()));
        recent.add(ack);
        acknowledgedCount++;
    }

    /** The acknowledgements since the previous call, oldest first. */
    synchronized List<Ack> takeRecent() {
        List<Ack> taken = recent;
        recent = new ArrayList<>();
        return taken;
    }

    /** The first acknowledgement since the last {@link #takeRecent()} of a write on {@code node} after {@code after}. */
    synchronized Optional<Ack> firstAckOn(String node, Instant after) {
        return recent.stream().filter(ack -> ack.node().equals(node) && ack.ackedAt().isAfter(after)).findFirst();
    }

    /** Acknowledgements since the last {@link #takeRecent()} that came after {@code after}. */
    synchronized long acksAfter(Instant after) {
        return recent.stream().filter(ack -> ack.ackedAt().isAfter(after)).count();
    }

    /** A copy of every acknowledged id. */
    synchronized BitSet acknowledgedIds() {
        return (BitSet) acknowledged.clone();
    }

    synchronized long acknowledgedCount() {
        return acknowledgedCount;
    }

    /** Transactions that failed, at any statement. */
    long failures() {
        return failures.get();
    }

    /** COMMITs that failed: their outcome is unknown to the writer. */
    long inDoubt() {
        return inDoubt.get();
    }

    /** COMMITs that succeeded with their wait for the synchronous standby canceled; never counted as acknowledged. */
    long unreplicatedCommits() {
        return unreplicatedCommits.get();
    }

    String lastFailure() {
        return lastFailure.get();
    }

    @Override
    public void close() {
        running = false;
        for (Thread thread : threads) {
            try {
                thread.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (thread.isAlive()) {
                throw new IllegalStateException(thread.getName() + " did not stop within 60 s; last failure: "
                        + lastFailure.get());
            }
        }
        threads.clear();
    }

    private static void backOff() {
        try {
            Thread.sleep(20); // pause between reconnect attempts, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // already broken
            }
        }
    }
}
