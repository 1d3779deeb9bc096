package io.pgwarden.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Properties;

/**
 * A client that writes one row per transaction through a proxy listener, reconnecting after every
 * failure as an application with a plain retry loop would, until a stop file appears. It prints
 * the moments writes stopped and resumed ({@link WriteTimeline}), then checks which acknowledged
 * rows the current primary still has: with asynchronous replication a failover may lose some.
 *
 * <p>{@code bench/run.sh} starts it before a {@code kill -9} of the primary and reads the
 * failover as the client saw it from its output.
 */
public final class FailoverWriter {

    private final WriterOptions options;
    private final PrintStream out;
    private final WriteTimeline timeline = new WriteTimeline();
    private long[] acknowledgedIds = new long[1024];
    private int acknowledgedSize;

    FailoverWriter(WriterOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws InterruptedException {
        WriterOptions options;
        try {
            options = WriterOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        new FailoverWriter(options, System.out).run();
    }

    void run() throws InterruptedException {
        long deadline = System.nanoTime() + options.maxRuntime().toNanos();
        long nextId = 1;
        Connection connection = null;
        PreparedStatement insert = null;
        String sql = "insert into " + options.table() + " (run, id, written_at) values (?, ?, now())";
        while (!Files.exists(options.stopFile()) && System.nanoTime() < deadline) {
            long id = nextId++;
            long start = System.currentTimeMillis();
            try {
                if (connection == null) {
                    connection = connect(options.url());
                    insert = connection.prepareStatement(sql);
                }
                insert.setInt(1, options.run());
                insert.setLong(2, id);
                insert.executeUpdate();
                long end = System.currentTimeMillis();
                remember(id);
                print(timeline.acknowledged(start, end, id));
                pause(options.pause());
            } catch (SQLException e) {
                print(timeline.failed(System.currentTimeMillis(), e.getSQLState(), e.getMessage()));
                closeQuietly(connection);
                connection = null;
                insert = null;
                pause(options.retryPause());
            }
        }
        closeQuietly(connection);
        out.println("summary " + verify());
        out.flush();
    }

    /** Counts the acknowledged ids that the primary behind the listener still holds. */
    private String verify() throws InterruptedException {
        String counts = "acknowledged=" + timeline.acknowledgedCount() + " failed_attempts="
                + timeline.failedAttempts();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            try (Connection connection = connect(options.url());
                    PreparedStatement count = connection.prepareStatement(
                            "select count(*) from " + options.table() + " where run = ? and id = any(?)")) {
                Array ids = connection.createArrayOf("bigint",
                        Arrays.stream(acknowledgedIds, 0, acknowledgedSize).boxed().toArray(Long[]::new));
                count.setInt(1, options.run());
                count.setArray(2, ids);
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    long present = rows.getLong(1);
                    return counts + " present=" + present + " lost=" + (acknowledgedSize - present);
                }
            } catch (SQLException e) {
                last = e;
                pause(Duration.ofMillis(200));
            }
        }
        return counts + " present=? lost=? verify_error=" + (last == null ? "timeout" : last.getSQLState());
    }

    private static Connection connect(String url) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("ApplicationName", "pgwarden-bench-writer");
        properties.setProperty("connectTimeout", "5");
        // Longer than the proxy's hold-timeout: a session held during failover is waited for.
        properties.setProperty("loginTimeout", "40");
        properties.setProperty("socketTimeout", "40");
        return DriverManager.getConnection(url, properties);
    }

    private void remember(long id) {
        if (acknowledgedSize == acknowledgedIds.length) {
            acknowledgedIds = Arrays.copyOf(acknowledgedIds, acknowledgedIds.length * 2);
        }
        acknowledgedIds[acknowledgedSize++] = id;
    }

    private void print(Optional<String> line) {
        line.ifPresent(text -> {
            out.println(text);
            out.flush();
        });
    }

    private static void pause(Duration duration) throws InterruptedException {
        if (!duration.isZero()) {
            Thread.sleep(duration.toMillis());
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // The session is already broken; nothing to release on the client side.
        }
    }
}
