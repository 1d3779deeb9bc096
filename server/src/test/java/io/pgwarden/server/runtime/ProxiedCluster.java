package io.pgwarden.server.runtime;

import static org.awaitility.Awaitility.await;

import io.pgwarden.cluster.ClusterSettings;
import io.pgwarden.cluster.LocalCluster;
import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.config.SettingsLoader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * A local primary with two synchronous standbys and pgwarden in front of them on free ports:
 * what the end-to-end tests write through. Synchronous replication means an acknowledged
 * commit is on a standby too, so a test may demand that no acknowledged write is lost.
 */
final class ProxiedCluster implements AutoCloseable {

    static final Duration DEADLINE = Duration.ofSeconds(60);

    private final LocalCluster cluster;
    private final PgwardenRuntime pgwarden;

    private ProxiedCluster(LocalCluster cluster, PgwardenRuntime pgwarden) {
        this.cluster = cluster;
        this.pgwarden = pgwarden;
    }

    /** Starts the cluster, runs {@code schema} on the primary, starts pgwarden and waits for its election. */
    static ProxiedCluster start(Path stateDir, String schema) throws IOException {
        return start(stateDir, schema, new String[0]);
    }

    /** As {@link #start(Path, String)}, with configuration lines that override the defaults. */
    static ProxiedCluster start(Path stateDir, String schema, String... overrides) throws IOException {
        LocalCluster cluster = new LocalCluster(ClusterSettings.builder().standbys(2).build()).start();
        try {
            cluster.setSynchronousStandbys("ANY 1 (pg2, pg3)");
            cluster.primary().execute(schema);
            cluster.awaitReplayed(DEADLINE);
            ClusterConfig config = new ClusterConfig(freePort(), freePort(), freePort(), stateDir.resolve("state.json"));
            PgwardenSettings settings = new SettingsLoader(Map.of("PGWARDEN_MONITOR_PASSWORD", cluster.password()))
                    .parse(config.render(cluster, overrides));
            PgwardenRuntime pgwarden = new PgwardenRuntime(settings).start();
            await().atMost(DEADLINE).until(() -> pgwarden.topology().current().routablePrimary().isPresent());
            return new ProxiedCluster(cluster, pgwarden);
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    LocalCluster cluster() {
        return cluster;
    }

    PgwardenRuntime pgwarden() {
        return pgwarden;
    }

    /** A pgjdbc connection through pgwarden's read-write listener, as an application opens it. */
    Connection connectReadWrite() throws SQLException {
        return connect("rw");
    }

    /** A pgjdbc connection through pgwarden's read-only listener. */
    Connection connectReadOnly() throws SQLException {
        return connect("ro");
    }

    private Connection connect(String listener) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", cluster.superuser());
        properties.setProperty("password", cluster.password());
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("socketTimeout", "30");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgwarden.proxy().port(listener)
                + "/postgres", properties);
    }

    static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }

    @Override
    public void close() {
        pgwarden.close();
        cluster.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
