package io.pgwarden.server.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgwarden.cluster.ClusterSettings;
import io.pgwarden.cluster.LocalCluster;
import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.config.SettingsLoader;
import io.pgwarden.proxy.listener.ProxyServer;
import io.pgwarden.server.runtime.ClusterConfig;
import io.pgwarden.server.runtime.PgwardenRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hundred connections abuse pgwarden's read-write listener at once (garbage, truncated and
 * oversized packets, startup packets dripping one byte every 100 ms, silent and half-closed
 * connections, floods of Sync after authentication) while pgjdbc and psql clients keep working
 * through the same listener. Every abuser gets an 08P01 ErrorResponse or a close, none waits
 * longer than the startup timeout allows, the real clients see no error, and afterwards pgwarden
 * holds no connection, session or backend it should not, and no buffer leaked.
 */
@Tag("chaos")
class ProtocolAbuseIT {

    /**
     * Short, so abusers are cut off quickly; not shorter, because a real client's SCRAM login
     * through pgwarden must fit in it on a 2-core machine that other builds load fully, with
     * Netty's paranoid leak detection recording a stack trace at every buffer access (at 2 s and
     * at 5 s, logins of the real clients timed out there at load averages of 15 to 17).
     */
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);
    /** Longest an abuser may wait for pgwarden's answer: the startup timeout plus slack for a loaded machine. */
    private static final Duration PATIENCE = STARTUP_TIMEOUT.plusSeconds(5);
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int SYNC_FLOOD = 10_000;
    private static final String PROTOCOL_VIOLATION = "08P01";

    /** The kinds of abuse, and how many connections do each: 200 in all. */
    enum Abuse {
        GARBAGE(45, true),
        TRUNCATED_STARTUP(20, true),
        HALF_CLOSED_STARTUP(10, false),
        OVERSIZED_STARTUP(20, true),
        SLOW_DRIP(30, true),
        SILENT(15, true),
        HALF_CLOSED_SILENT(5, false),
        RESET(5, false),
        SSL_THEN_GARBAGE(10, true),
        BOGUS_CANCEL(10, false),
        SYNC_FLOOD(15, false),
        OVERSIZED_AFTER_AUTHENTICATION(10, true),
        TRUNCATED_AFTER_AUTHENTICATION(5, false);

        final int connections;
        /** Whether pgwarden owes this client an 08P01 ErrorResponse before it closes. */
        final boolean expectsError;

        Abuse(int connections, boolean expectsError) {
            this.connections = connections;
            this.expectsError = expectsError;
        }
    }

    /** What one abusive connection saw; {@code problem} says what pgwarden did wrong, if anything. */
    record Abused(Abuse abuse, int index, Optional<WireClient.Ending> ending, Optional<String> problem) {
    }

    @TempDir
    static Path stateDirectory;

    private static LocalCluster cluster;
    private static PgwardenRuntime pgwarden;

    @BeforeAll
    static void start() throws IOException {
        cluster = new LocalCluster(ClusterSettings.builder().standbys(1).setting("max_connections", "150").build())
                .start();
        cluster.primary().execute("CREATE TABLE abuse_survivors (id bigserial PRIMARY KEY, client text NOT NULL)");
        cluster.awaitReplayed(DEADLINE);
        ClusterConfig config = new ClusterConfig(ChaosCluster.freePort(), ChaosCluster.freePort(),
                ChaosCluster.freePort(), stateDirectory.resolve("state.json"));
        PgwardenSettings settings = new SettingsLoader(Map.of("PGWARDEN_MONITOR_PASSWORD", cluster.password()))
                .parse(config.render(cluster,
                        "pgwarden.limits.startup-timeout = " + STARTUP_TIMEOUT.toMillis() + "ms",
                        "pgwarden.limits.max-message-size = 1MiB",
                        // This test is about the listener, not failure detection: probes get slack
                        // on a loaded machine, since one missed probe of the standby would end the
                        // read-only session (see SuspectStandbyIT).
                        "pgwarden.health { timeout = 2s, connect-timeout = 2s }"));
        pgwarden = new PgwardenRuntime(settings).start();
        await().atMost(DEADLINE).until(() -> pgwarden.topology().current().routablePrimary().isPresent()
                && !pgwarden.topology().current().routableStandbys().isEmpty());
    }

    @AfterAll
    static void stop() {
        if (pgwarden != null) {
            pgwarden.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void abusersAreRefusedOrClosedWhileRealClientsThroughTheSameListenerSeeNoError() throws Exception {
        ProxyServer proxy = pgwarden.proxy();
        int port = proxy.port("rw");
        try (LeakReports leaks = new LeakReports()) {
            awaitQuiet(proxy);
            long backendsBefore = clientBackends();
            RealClients real = new RealClients(port, proxy.port("ro"));
            real.start();
            List<Abused> results;
            try {
                await("real clients running").atMost(DEADLINE).until(() -> real.iterations() >= 20);
                long before = real.iterations();
                results = abuse(port);
                long during = real.iterations() - before;
                await("real clients going on after the abuse").atMost(DEADLINE)
                        .until(() -> real.iterations() >= before + during + 20);
                System.out.println(summary(results, during, real));
                results.stream().filter(result -> result.problem().isPresent()).forEach(result ->
                        System.out.println("  MISHANDLED " + result.abuse() + " #" + result.index() + ": "
                                + result.problem().get()));
                assertThat(during).as("real client operations completed while the abusers were at it").isPositive();
            } finally {
                real.close();
            }
            assertThat(real.errors()).as("errors seen by pgjdbc and psql clients").isEmpty();
            assertThat(results).hasSize(Arrays.stream(Abuse.values()).mapToInt(abuse -> abuse.connections).sum());
            assertThat(results.stream().flatMap(result -> result.problem().map(problem ->
                    result.abuse() + " #" + result.index() + ": " + problem).stream()).toList())
                    .as("abusers pgwarden mishandled").isEmpty();

            awaitQuiet(proxy);
            await("PostgreSQL client backends back to " + backendsBefore).atMost(DEADLINE)
                    .until(() -> clientBackends() == backendsBefore);
            // New buffers make Netty's leak detector look at what a collection found unreachable.
            System.gc();
            for (int i = 0; i < 5; i++) {
                try (Connection connection = connect(port, "abuse-after")) {
                    assertThat(serverNode(connection)).isNotEmpty();
                }
            }
            assertThat(leaks.reports()).as("Netty buffer leak reports").isEmpty();
        }
    }

    // ------------------------------------------------------------------ the abusers

    private static List<Abused> abuse(int port) throws Exception {
        List<Callable<Abused>> tasks = new ArrayList<>();
        for (Abuse abuse : Abuse.values()) {
            for (int i = 0; i < abuse.connections; i++) {
                int index = i;
                tasks.add(() -> run(abuse, index, port));
            }
        }
        ExecutorService threads = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<Abused>> futures = threads.invokeAll(tasks, 2, TimeUnit.MINUTES);
            List<Abused> results = new ArrayList<>();
            for (Future<Abused> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    private static Abused run(Abuse abuse, int index, int port) {
        Random random = new Random(abuse.ordinal() * 1000L + index);
        try (WireClient client = new WireClient(port, PATIENCE)) {
            switch (abuse) {
                case GARBAGE -> client.send(randomBytes(random, 1 + random.nextInt(2000)));
                case TRUNCATED_STARTUP -> client.send(truncatedStartup(random));
                case HALF_CLOSED_STARTUP -> {
                    client.send(truncatedStartup(random));
                    client.shutdownOutput();
                }
                case OVERSIZED_STARTUP -> client.send(WireClient.untypedPacket(
                        oversizedLength(index), WireClient.PROTOCOL_3_0, randomBytes(random, 64)));
                case SLOW_DRIP -> drip(client, WireClient.startupMessage("postgres", "postgres",
                        "abuse-drip-" + "x".repeat(200)));
                case SILENT -> {
                    // Connects and says nothing.
                }
                case HALF_CLOSED_SILENT -> client.shutdownOutput();
                case RESET -> {
                    client.send(Arrays.copyOf(WireClient.startupMessage("postgres", "postgres", "abuse"), 6));
                    client.reset();
                    return new Abused(abuse, index, Optional.empty(), Optional.empty());
                }
                case SSL_THEN_GARBAGE -> {
                    client.send(WireClient.untypedPacket(8, WireClient.SSL_REQUEST_CODE, new byte[0]));
                    int answer = client.readByte();
                    if (answer != 'N') {
                        return new Abused(abuse, index, Optional.empty(),
                                Optional.of("SSLRequest answered " + answer + " instead of 'N'"));
                    }
                    client.send(randomBytes(random, 100 + random.nextInt(500)));
                }
                case BOGUS_CANCEL -> client.send(WireClient.untypedPacket(16, WireClient.CANCEL_REQUEST_CODE,
                        randomBytes(random, 8)));
                case SYNC_FLOOD -> {
                    return syncFlood(client, abuse, index);
                }
                case OVERSIZED_AFTER_AUTHENTICATION -> {
                    client.authenticate(cluster.superuser(), cluster.password(), "abuse-oversized");
                    client.send(WireClient.messageClaiming('Q', Integer.MAX_VALUE, randomBytes(random, 100)));
                }
                case TRUNCATED_AFTER_AUTHENTICATION -> {
                    client.authenticate(cluster.superuser(), cluster.password(), "abuse-truncated");
                    client.send(WireClient.messageClaiming('Q', 1000, "SELECT 1".getBytes(StandardCharsets.UTF_8)));
                    client.shutdownOutput();
                }
            }
            WireClient.Ending ending = client.awaitEnd();
            return new Abused(abuse, index, Optional.of(ending), judge(abuse, ending));
        } catch (IOException | RuntimeException e) {
            return new Abused(abuse, index, Optional.empty(), Optional.of("client failed: " + e));
        }
    }

    /** What pgwarden did wrong with this connection, if anything. */
    private static Optional<String> judge(Abuse abuse, WireClient.Ending ending) {
        if (!ending.closed()) {
            return Optional.of("still open after " + ending.elapsed().toMillis() + " ms (startup timeout "
                    + STARTUP_TIMEOUT.toMillis() + " ms)");
        }
        Optional<String> sqlState = ending.sqlState();
        if (sqlState.isPresent() && !sqlState.get().equals(PROTOCOL_VIOLATION)) {
            return Optional.of("ErrorResponse " + sqlState.get() + " "
                    + ending.error().flatMap(error -> error.field('M')).orElse("") + " instead of 08P01");
        }
        if (abuse.expectsError && sqlState.isEmpty()) {
            return Optional.of("closed after " + ending.elapsed().toMillis() + " ms without an ErrorResponse");
        }
        if (abuse != Abuse.SYNC_FLOOD && ending.elapsed().compareTo(PATIENCE) > 0) {
            return Optional.of("took " + ending.elapsed().toMillis() + " ms to close");
        }
        return Optional.empty();
    }

    /** A StartupMessage cut short: its length promises more than ever comes. */
    private static byte[] truncatedStartup(Random random) {
        byte[] whole = WireClient.startupMessage("postgres", "postgres", "abuse-truncated");
        return Arrays.copyOf(whole, 1 + random.nextInt(whole.length - 1));
    }

    private static int oversizedLength(int index) {
        int[] lengths = {Integer.MAX_VALUE, 1 << 30, 10_001, 100_000_000, -1, 3, 0, 7};
        return lengths[index % lengths.length];
    }

    /** Sends {@code bytes} one every 100 ms until pgwarden closes the connection. */
    private static void drip(WireClient client, byte[] bytes) {
        try {
            for (byte b : bytes) {
                client.send(new byte[] {b});
                Thread.sleep(100); // the drip's pace, not a wait for a condition
            }
        } catch (IOException e) {
            // pgwarden closed the connection mid-drip, as it should once the startup timeout passes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Authenticates, then sends {@value #SYNC_FLOOD} Sync messages in a burst. Most flooders read
     * every ReadyForQuery and end with Terminate; one in three resets the connection mid-flood
     * without reading anything.
     */
    private static Abused syncFlood(WireClient client, Abuse abuse, int index) throws IOException {
        client.authenticate(cluster.superuser(), cluster.password(), "abuse-sync-flood");
        byte[] chunk = new byte[1000 * 5];
        for (int i = 0; i < 1000; i++) {
            System.arraycopy(WireClient.sync(), 0, chunk, i * 5, 5);
        }
        boolean abrupt = index % 3 == 0;
        CompletableFuture<Long> readyForQuery = abrupt ? CompletableFuture.completedFuture(0L)
                // A thread of its own: the common pool may have a single one, and many floods run at once.
                : CompletableFuture.supplyAsync(() -> countReadyForQuery(client, SYNC_FLOOD),
                        task -> new Thread(task, "sync-flood-reader").start());
        for (int sent = 0; sent < SYNC_FLOOD; sent += 1000) {
            client.send(chunk);
        }
        if (abrupt) {
            client.reset();
            return new Abused(abuse, index, Optional.empty(), Optional.empty());
        }
        long answered = readyForQuery.join();
        if (answered != SYNC_FLOOD) {
            return new Abused(abuse, index, Optional.empty(),
                    Optional.of(answered + " ReadyForQuery for " + SYNC_FLOOD + " Sync messages"));
        }
        client.send(WireClient.terminate());
        WireClient.Ending ending = client.awaitEnd();
        return new Abused(abuse, index, Optional.of(ending), judge(abuse, ending));
    }

    private static long countReadyForQuery(WireClient client, int expected) {
        long count = 0;
        try {
            while (count < expected) {
                Optional<WireClient.Message> message = client.read();
                if (message.isEmpty()) {
                    break;
                }
                if (message.get().type() == 'Z') {
                    count++;
                } else if (message.get().type() == 'E') {
                    break;
                }
            }
        } catch (IOException e) {
            // counted so far
        }
        return count;
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String summary(List<Abused> results, long realOperationsDuringAbuse, RealClients real) {
        Map<Abuse, List<Abused>> byAbuse = new EnumMap<>(Abuse.class);
        results.forEach(result -> byAbuse.computeIfAbsent(result.abuse(), key -> new ArrayList<>()).add(result));
        StringBuilder text = new StringBuilder("=== protocol abuse: " + results.size() + " abusive connections, "
                + realOperationsDuringAbuse + " real client operations during the abuse (" + real.describe()
                + ") ===\n");
        byAbuse.forEach((abuse, list) -> {
            long errors = list.stream().filter(r -> r.ending().flatMap(WireClient.Ending::sqlState).isPresent()).count();
            long closed = list.stream().filter(r -> r.ending().map(WireClient.Ending::closed).orElse(false)).count();
            long slowest = list.stream().flatMap(r -> r.ending().stream()).mapToLong(e -> e.elapsed().toMillis())
                    .max().orElse(0);
            long problems = list.stream().filter(r -> r.problem().isPresent()).count();
            text.append(String.format(Locale.ROOT, "%-32s %3d connections: %3d got 08P01, %3d closed by pgwarden,"
                    + " slowest close %5d ms, %d mishandled%n", abuse, list.size(), errors, closed, slowest, problems));
        });
        return text.toString();
    }

    // ------------------------------------------------------------------ real clients

    /**
     * pgjdbc and psql clients doing real work through pgwarden during the abuse: new connections
     * on the read-write listener (the one under attack), one long-lived read-write session, one
     * long-lived read-only session, and psql runs.
     */
    private static final class RealClients implements AutoCloseable {
        private final int readWritePort;
        private final int readOnlyPort;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong iterations = new AtomicLong();
        private final AtomicLong psqlRuns = new AtomicLong();
        private final Queue<String> errors = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();

        RealClients(int readWritePort, int readOnlyPort) {
            this.readWritePort = readWritePort;
            this.readOnlyPort = readOnlyPort;
        }

        void start() {
            for (int i = 0; i < 3; i++) {
                String name = "jdbc-connect-" + i;
                launch(name, () -> {
                    try (Connection connection = connect(readWritePort, name)) {
                        transaction(connection, name);
                    }
                });
            }
            launchSession("jdbc-session-rw", readWritePort, true);
            launchSession("jdbc-session-ro", readOnlyPort, false);
            launch("psql", this::psql);
        }

        private void launchSession(String name, int port, boolean writes) {
            Thread thread = new Thread(() -> {
                try (Connection connection = connect(port, name)) {
                    while (running.get()) {
                        if (writes) {
                            transaction(connection, name);
                        } else {
                            check(serverNode(connection).isEmpty(), name + ": no server name");
                        }
                        iterations.incrementAndGet();
                    }
                } catch (SQLException | RuntimeException e) {
                    errors.add(name + ": " + e);
                }
            }, name);
            thread.start();
            threads.add(thread);
        }

        private interface Work {
            void run() throws Exception;
        }

        private void launch(String name, Work work) {
            Thread thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        work.run();
                        iterations.incrementAndGet();
                    } catch (Exception e) {
                        errors.add(name + ": " + e);
                    }
                }
            }, name);
            thread.start();
            threads.add(thread);
        }

        private void transaction(Connection connection, String name) throws SQLException {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO abuse_survivors (client) VALUES (?) RETURNING id, client")) {
                insert.setString(1, name);
                try (ResultSet row = insert.executeQuery()) {
                    check(!row.next() || !name.equals(row.getString(2)), name + ": INSERT returned no row or another");
                }
            }
            try (PreparedStatement sum = connection.prepareStatement("SELECT ?::int + 1")) {
                sum.setInt(1, 41);
                try (ResultSet row = sum.executeQuery()) {
                    row.next();
                    check(row.getInt(1) != 42, name + ": 41 + 1 = " + row.getInt(1));
                }
            }
            connection.commit();
        }

        private void psql() throws Exception {
            int port = psqlRuns.incrementAndGet() % 4 == 0 ? readOnlyPort : readWritePort;
            ProcessBuilder builder = new ProcessBuilder(cluster.binDir().resolve("psql").toString(), "-X", "-A", "-t",
                    "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", cluster.superuser(), "-d", "postgres",
                    "-v", "ON_ERROR_STOP=1", "-c", "SELECT 40 + 2", "-c", "SELECT count(*) >= 0 FROM abuse_survivors");
            builder.environment().put("PGPASSWORD", cluster.password());
            builder.environment().put("PGCONNECT_TIMEOUT", "30");
            builder.environment().put("PGAPPNAME", "abuse-psql");
            builder.redirectErrorStream(true);
            Process process = builder.start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("psql did not finish within 60 s");
            }
            check(process.exitValue() != 0 || !output.equals("42\nt\n"),
                    "psql on port " + port + " exited " + process.exitValue() + ": " + output.strip());
        }

        private static void check(boolean failed, String message) {
            if (failed) {
                throw new IllegalStateException(message);
            }
        }

        long iterations() {
            return iterations.get();
        }

        List<String> errors() {
            return List.copyOf(errors);
        }

        String describe() {
            return "pgjdbc and " + psqlRuns.get() + " psql runs";
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(DEADLINE.toMillis());
                if (thread.isAlive()) {
                    errors.add(thread.getName() + " did not stop");
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Connection connect(int port, String applicationName) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", cluster.superuser());
        properties.setProperty("password", cluster.password());
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("loginTimeout", "20");
        properties.setProperty("socketTimeout", "30");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", properties);
    }

    private static String serverNode(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT current_setting('cluster_name')")) {
            row.next();
            return row.getString(1);
        }
    }

    /** Client backends on the primary, pgwarden's monitor connections and this query's own excluded. */
    private static long clientBackends() throws SQLException {
        try (Connection connection = cluster.primary().connect();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
                        + " AND application_name <> 'pgwarden-monitor'")) {
            row.next();
            return row.getLong(1);
        }
    }

    private static void awaitQuiet(ProxyServer proxy) {
        await("pgwarden to hold no client connection").atMost(DEADLINE).until(() ->
                proxy.clientConnections() == 0 && proxy.sessions().isEmpty() && proxy.issuedCancelKeys() == 0
                        && proxy.statistics().backendSessions().values().stream().allMatch(count -> count == 0));
    }
}
