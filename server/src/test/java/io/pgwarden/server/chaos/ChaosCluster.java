package io.pgwarden.server.chaos;

import static org.awaitility.Awaitility.await;

import io.pgwarden.cluster.ClusterSettings;
import io.pgwarden.cluster.LocalCluster;
import io.pgwarden.cluster.LocalClusterException;
import io.pgwarden.cluster.LocalNode;
import io.pgwarden.cluster.RejoinMethod;
import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.config.SettingsLoader;
import io.pgwarden.health.topology.Health;
import io.pgwarden.health.topology.NodeState;
import io.pgwarden.health.topology.Topology;
import io.pgwarden.server.runtime.ClusterConfig;
import io.pgwarden.server.runtime.PgwardenRuntime;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A local primary with two streaming standbys, each reachable by pgwarden only through its own
 * {@link TcpRelay}, and pgwarden in front of them, configured as an operator would for this
 * test: automatic failover, {@code auto-rejoin}, fast probes. The standbys replicate from the
 * nodes' real ports, so cutting pgwarden's path to a node leaves replication alone.
 *
 * <p>Between chaos rounds {@link #restore(Instant)} brings the cluster back to full strength the
 * way an operator would: old primaries are rewound and rejoin as standbys of the elected
 * primary, killed standbys are started, and pgwarden lets fenced nodes back by itself.
 */
final class ChaosCluster implements AutoCloseable {

    static final Duration DEADLINE = Duration.ofSeconds(60);

    /**
     * The table the writers append to. The trigger stamps each row with the server that executed
     * the INSERT and that server's clock, whatever the client sends: the record that shows where
     * and when a write really happened.
     */
    static final String TABLE_DDL = """
            CREATE TABLE chaos_writes (
                id bigint PRIMARY KEY,
                writer int NOT NULL,
                node text NOT NULL,
                inserted_at timestamptz NOT NULL
            );
            CREATE TABLE chaos_calibration (LIKE chaos_writes INCLUDING ALL);
            CREATE FUNCTION chaos_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                NEW.node := current_setting('cluster_name');
                NEW.inserted_at := clock_timestamp();
                RETURN NEW;
            END
            $$;
            CREATE TRIGGER chaos_stamp BEFORE INSERT ON chaos_writes
                FOR EACH ROW EXECUTE FUNCTION chaos_stamp();
            CREATE TRIGGER chaos_stamp BEFORE INSERT ON chaos_calibration
                FOR EACH ROW EXECUTE FUNCTION chaos_stamp();
            """;

    /** Opens a connection through one of pgwarden's listeners. */
    @FunctionalInterface
    interface Connector {
        Connection connect(String listener, String applicationName) throws SQLException;
    }

    /** A row of {@code chaos_writes} as a node holds it. */
    record Row(long id, String node, Instant insertedAt) {
    }

    /**
     * @param synchronous {@code synchronous_standby_names = 'ANY 1 (<the standbys>)'} on every
     *     primary, kept after each failover; false: asynchronous replication
     * @param maxLagOnFailover pgwarden's {@code failover.max-lag-on-failover}, in bytes
     */
    record Options(boolean synchronous, long maxLagOnFailover) {
    }

    /**
     * What bringing the cluster back took.
     *
     * @param rowsOnOldPrimaries rows read from nodes that were still writable without being the
     *     elected primary, read before their rewind discards what they wrote on their own
     * @param rejoined nodes rewound or cloned back as standbys, and how
     * @param followed standbys pointed at the elected primary
     * @param manualUnfences nodes pgwarden did not let back by itself within the deadline
     * @param duration how long it took
     */
    record Restoration(Map<String, List<Row>> rowsOnOldPrimaries, Map<String, RejoinMethod> rejoined,
            List<String> followed, List<String> manualUnfences, Duration duration) {
    }

    private final Options options;
    private final LocalCluster cluster;
    private final Map<String, TcpRelay> relays = new LinkedHashMap<>();
    private PgwardenRuntime pgwarden;
    private ClusterObserver observer;

    private ChaosCluster(Options options, LocalCluster cluster) {
        this.options = options;
        this.cluster = cluster;
    }

    static ChaosCluster start(Options options, Path stateDirectory) throws IOException {
        LocalCluster cluster = new LocalCluster(ClusterSettings.builder()
                .standbys(2)
                // A hung primary keeps its standbys "streaming" until their receiver times out,
                // and pgwarden holds failover back while a standby streams: this bounds detection.
                .setting("wal_receiver_timeout", "2s")
                .setting("wal_sender_timeout", "2s")
                .operationTimeout(Duration.ofSeconds(30))
                .build()).start();
        ChaosCluster chaos = new ChaosCluster(options, cluster);
        try {
            chaos.startPgwarden(stateDirectory);
            return chaos;
        } catch (IOException | RuntimeException e) {
            chaos.close();
            throw e;
        }
    }

    private void startPgwarden(Path stateDirectory) throws IOException {
        cluster.primary().execute(TABLE_DDL);
        if (options.synchronous()) {
            cluster.setSynchronousStandbys(synchronousStandbysFor(cluster.primary()));
        }
        cluster.awaitReplayed(DEADLINE);
        StringBuilder backends = new StringBuilder("pgwarden.backends = [\n");
        for (LocalNode node : cluster.nodes()) {
            TcpRelay relay = new TcpRelay(node.name(), node.port());
            relays.put(node.name(), relay);
            backends.append("  { name = \"").append(node.name()).append("\", host = \"127.0.0.1\", port = ")
                    .append(relay.port()).append(" }\n");
        }
        backends.append("]");
        ClusterConfig config = new ClusterConfig(freePort(), freePort(), freePort(),
                stateDirectory.resolve("state.json"));
        String hocon = config.render(cluster, backends.toString(),
                "pgwarden.failover.auto-rejoin = true",
                "pgwarden.failover.max-lag-on-failover = " + options.maxLagOnFailover(),
                "pgwarden.limits.hold-timeout = 30s");
        PgwardenSettings settings = new SettingsLoader(Map.of("PGWARDEN_MONITOR_PASSWORD", cluster.password()))
                .parse(hocon);
        pgwarden = new PgwardenRuntime(settings).start();
        observer = new ClusterObserver(pgwarden.monitor());
        awaitRoutablePrimary();
    }

    LocalCluster cluster() {
        return cluster;
    }

    PgwardenRuntime pgwarden() {
        return pgwarden;
    }

    ClusterObserver observer() {
        return observer;
    }

    Options options() {
        return options;
    }

    TcpRelay relay(String node) {
        return relays.get(node);
    }

    /** A connection through pgwarden's {@code rw} or {@code ro} listener. */
    Connection connect(String listener, String applicationName) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", cluster.superuser());
        properties.setProperty("password", cluster.password());
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("connectTimeout", "5");
        // pgwarden may hold a new session for up to limits.hold-timeout (30 s) during a failover.
        properties.setProperty("loginTimeout", "45");
        properties.setProperty("socketTimeout", "45");
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + pgwarden.proxy().port(listener) + "/postgres", properties);
    }

    /** The node pgwarden routes write sessions to now. */
    Optional<String> routablePrimary() {
        return pgwarden.topology().current().routablePrimary().map(NodeState::name);
    }

    LocalNode awaitRoutablePrimary() {
        await("a routable primary").atMost(DEADLINE).until(() -> routablePrimary().isPresent());
        return cluster.node(routablePrimary().orElseThrow());
    }

    /** The running nodes other than {@code primary}. */
    List<LocalNode> othersThan(LocalNode primary) {
        return cluster.nodes().stream().filter(node -> node != primary).toList();
    }

    NodeState state(String node) {
        return pgwarden.topology().current().node(node).orElseThrow();
    }

    /**
     * Brings the cluster back to a primary and two streaming standbys that pgwarden routes to.
     * Rows that old primaries hold are read before they are rewound.
     *
     * @param since rows inserted before this are not read from old primaries
     */
    Restoration restore(Instant since) throws Exception {
        long start = System.nanoTime();
        for (TcpRelay relay : relays.values()) {
            if (relay.severed()) {
                relay.restore();
            }
        }
        for (LocalNode node : cluster.nodes()) {
            if (node.isSuspended()) {
                node.sigcont();
            }
        }
        LocalNode primary = awaitRoutablePrimary();
        Map<String, List<Row>> rowsOnOldPrimaries = new LinkedHashMap<>();
        Map<String, RejoinMethod> rejoined = new LinkedHashMap<>();
        List<String> followed = new ArrayList<>();
        for (LocalNode node : othersThan(primary)) {
            if (!node.isRunning() && Files.exists(node.dataDir().resolve("standby.signal"))) {
                // A killed standby is restarted as it was, as an operator would.
                node.start();
            }
            if (!node.isRunning()) {
                rejoined.put(node.name(), cluster.rejoinAsStandby(node, primary));
            } else if (!node.isInRecovery()) {
                rowsOnOldPrimaries.put(node.name(), rowsSince(node, since));
                rejoined.put(node.name(), cluster.rejoinAsStandby(node, primary));
            } else if (!streamsFrom(node, primary)) {
                try {
                    node.follow(primary);
                    followed.add(node.name());
                } catch (LocalClusterException e) {
                    // It received WAL past the point where the new primary's timeline forked.
                    rejoined.put(node.name(), cluster.rejoinAsStandby(node, primary));
                }
            }
        }
        if (options.synchronous()) {
            String names = synchronousStandbysFor(primary);
            if (!names.equals(primary.queryForString("SHOW synchronous_standby_names"))) {
                cluster.setSynchronousStandbys(names);
            }
        }
        List<String> manualUnfences = awaitEveryNodeRoutable(primary);
        cluster.awaitReplayed(DEADLINE);
        return new Restoration(rowsOnOldPrimaries, rejoined, followed, manualUnfences,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Waits until pgwarden routes to every node again: auto-rejoin unfences a node once it streams
     * on the elected primary's timeline. Nodes still fenced at the deadline are unfenced by hand,
     * and reported.
     */
    private List<String> awaitEveryNodeRoutable(LocalNode primary) throws Exception {
        List<String> manual = new ArrayList<>();
        try {
            await("every node unfenced and up").atMost(Duration.ofSeconds(30)).until(() -> allRoutable(primary));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            for (NodeState node : pgwarden.topology().current().nodes()) {
                if (node.fenced()) {
                    pgwarden.monitor().unfence(node.name()).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
                    manual.add(node.name());
                }
            }
            await("every node routable after unfencing").atMost(DEADLINE).until(() -> allRoutable(primary));
        }
        return manual;
    }

    private boolean allRoutable(LocalNode primary) {
        Topology topology = pgwarden.topology().current();
        return topology.routablePrimary().map(NodeState::name).equals(Optional.of(primary.name()))
                && topology.routableStandbys().size() == cluster.nodes().size() - 1
                && topology.nodes().stream().allMatch(node -> !node.fenced() && node.health() == Health.UP);
    }

    /** Whether {@code standby}'s WAL receiver streams from {@code primary}'s port on its current timeline. */
    boolean streamsFrom(LocalNode standby, LocalNode primary) throws SQLException {
        int timeline = timeline(primary);
        try (Connection connection = standby.connect(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "SELECT status, sender_port, received_tli FROM pg_stat_wal_receiver")) {
            return row.next() && "streaming".equals(row.getString(1)) && row.getInt(2) == primary.port()
                    && row.getInt(3) == timeline;
        }
    }

    private static int timeline(LocalNode primary) {
        String walFile = primary.queryForString("SELECT pg_walfile_name(pg_current_wal_lsn())");
        return Integer.parseInt(walFile.substring(0, 8), 16);
    }

    private String synchronousStandbysFor(LocalNode primary) {
        return "ANY 1 (" + othersThan(primary).stream().map(LocalNode::name).collect(Collectors.joining(", ")) + ")";
    }

    /** Rows {@code node} holds that were inserted at or after {@code since}. */
    List<Row> rowsSince(LocalNode node, Instant since) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection connection = node.connect();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT id, node, inserted_at FROM chaos_writes WHERE inserted_at >= ? ORDER BY inserted_at")) {
            query.setObject(1, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.add(new Row(result.getLong(1), result.getString(2),
                            result.getObject(3, OffsetDateTime.class).toInstant()));
                }
            }
        }
        return rows;
    }

    /** Every id {@code node} holds. */
    BitSet ids(LocalNode node) throws SQLException {
        BitSet ids = new BitSet();
        try (Connection connection = node.connect(); Statement statement = connection.createStatement()) {
            statement.setFetchSize(10_000);
            connection.setAutoCommit(false);
            try (ResultSet result = statement.executeQuery("SELECT id FROM chaos_writes")) {
                while (result.next()) {
                    ids.set(Math.toIntExact(result.getLong(1)));
                }
            }
            connection.commit();
        }
        return ids;
    }

    /**
     * The fewest WAL bytes one writer transaction (one row into a table shaped like
     * {@code chaos_writes}, then COMMIT) took, over {@code samples} transactions on the primary
     * with nothing else writing. Every lost commit took at least this much of the WAL the lost
     * primary wrote and no standby received.
     */
    long minWalBytesPerCommit(int samples) throws SQLException {
        long fewest = Long.MAX_VALUE;
        try (Connection connection = cluster.primary().connect();
                PreparedStatement position = connection.prepareStatement("SELECT pg_current_wal_insert_lsn()::text");
                PreparedStatement distance = connection.prepareStatement("SELECT pg_wal_lsn_diff(?::pg_lsn, ?::pg_lsn)");
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO chaos_calibration (id, writer) VALUES (?, 0)")) {
            for (int i = 1; i <= samples; i++) {
                String before = single(position);
                insert.setLong(1, i);
                insert.executeUpdate();
                String after = single(position);
                distance.setString(1, after);
                distance.setString(2, before);
                fewest = Math.min(fewest, Long.parseLong(single(distance).replaceAll("\\..*", "")));
            }
        }
        return fewest;
    }

    private static String single(PreparedStatement statement) throws SQLException {
        try (ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getString(1);
        }
    }

    @Override
    public void close() {
        if (observer != null) {
            observer.close();
        }
        if (pgwarden != null) {
            pgwarden.close();
        }
        for (TcpRelay relay : relays.values()) {
            relay.close();
        }
        cluster.close();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
