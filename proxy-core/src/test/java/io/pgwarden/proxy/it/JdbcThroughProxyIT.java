package io.pgwarden.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pgwarden.cluster.ClusterSettings;
import io.pgwarden.cluster.LocalCluster;
import io.pgwarden.cluster.junit.LocalClusterExtension;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.PGStatement;
import org.postgresql.copy.CopyManager;

/** pgjdbc through the proxy against a real primary and standby. */
class JdbcThroughProxyIT {

    @RegisterExtension
    static final LocalClusterExtension PG = new LocalClusterExtension(ClusterSettings.builder().standbys(1).build());

    private static ProxyHarness proxy;

    @BeforeAll
    static void startProxy() {
        proxy = ProxyHarness.start(PG.cluster(), "");
        PG.cluster().primary().execute("CREATE TABLE IF NOT EXISTS items (id int PRIMARY KEY, name text)");
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void simpleQueryRunsOnThePrimaryThroughTheReadWriteListener() throws SQLException {
        LocalCluster cluster = PG.cluster();
        try (Connection connection = proxy.connect("rw");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT pg_is_in_recovery(), current_setting('port')::int")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(1)).isFalse();
            assertThat(rs.getInt(2)).isEqualTo(cluster.primary().port());
        }
    }

    @Test
    void readOnlyListenerLandsOnTheStandby() throws SQLException {
        try (Connection connection = proxy.connect("ro");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT pg_is_in_recovery(), current_setting('port')::int")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBoolean(1)).isTrue();
            assertThat(rs.getInt(2)).isEqualTo(PG.cluster().standbys().get(0).port());
        }
    }

    @Test
    void preparedStatementsBecomeServerPreparedAfterTheThreshold() throws SQLException {
        try (Connection connection = proxy.connect("rw");
                PreparedStatement statement = connection.prepareStatement("SELECT ?::int * 2")) {
            statement.unwrap(PGStatement.class).setPrepareThreshold(2);
            for (int i = 0; i < 10; i++) {
                statement.setInt(1, i);
                try (ResultSet rs = statement.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(i * 2);
                }
            }
            assertThat(statement.unwrap(PGStatement.class).isUseServerPrepare()).isTrue();
            try (Statement check = connection.createStatement();
                    ResultSet rs = check.executeQuery("SELECT count(*) FROM pg_prepared_statements")) {
                rs.next();
                assertThat(rs.getInt(1)).isPositive();
            }
        }
    }

    @Test
    void batchInsertsEveryRow() throws SQLException {
        try (Connection connection = proxy.connect("rw")) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO items VALUES (?, ?)")) {
                for (int i = 1000; i < 1500; i++) {
                    insert.setInt(1, i);
                    insert.setString(2, "item " + i);
                    insert.addBatch();
                }
                int[] counts = insert.executeBatch();
                assertThat(counts).hasSize(500);
            }
            connection.commit();
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT count(*) FROM items WHERE id BETWEEN 1000 AND 1499")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(500);
            }
        }
    }

    @Test
    void copyInAndOutThroughTheCopyManager() throws Exception {
        try (Connection connection = proxy.connect("rw")) {
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            StringBuilder rows = new StringBuilder();
            for (int i = 5000; i < 15000; i++) {
                rows.append(i).append('\t').append("copied ").append(i).append('\n');
            }
            long copiedIn = copy.copyIn("COPY items FROM STDIN", new StringReader(rows.toString()));
            assertThat(copiedIn).isEqualTo(10_000);

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long copiedOut = copy.copyOut("COPY (SELECT * FROM items WHERE id >= 5000 AND id < 15000 ORDER BY id) TO STDOUT", out);
            assertThat(copiedOut).isEqualTo(10_000);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(rows.toString());
        }
    }

    @Test
    void statementCancelCancelsOnlyTheQueryOfItsOwnSession() throws Exception {
        try (Connection victim = proxy.connect("rw");
                Connection bystander = proxy.connect("rw");
                Statement victimStatement = victim.createStatement();
                Statement bystanderStatement = bystander.createStatement()) {
            CompletableFuture<Object> victimQuery = Background.supply(() -> run(victimStatement, "SELECT pg_sleep(30) /* victim */"));
            CompletableFuture<Object> bystanderQuery = Background.supply(() -> run(bystanderStatement, "SELECT pg_sleep(3) /* bystander */"));
            await().atMost(Duration.ofSeconds(10)).until(() -> activeQueries("victim") == 1 && activeQueries("bystander") == 1);

            victimStatement.cancel();

            Object victimOutcome = victimQuery.get(10, TimeUnit.SECONDS);
            assertThat(victimOutcome).isInstanceOf(SQLException.class);
            assertThat(((SQLException) victimOutcome).getSQLState()).isEqualTo("57014");
            assertThat(bystanderQuery.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
            // Both sessions go on.
            assertThat(run(victimStatement, "SELECT 1")).isEqualTo("ok");
        }
    }

    @Test
    void notificationsCrossSessions() throws Exception {
        try (Connection listener = proxy.connect("rw"); Connection notifier = proxy.connect("rw")) {
            try (Statement statement = listener.createStatement()) {
                statement.execute("LISTEN pgwarden_test");
            }
            try (Statement statement = notifier.createStatement()) {
                statement.execute("NOTIFY pgwarden_test, 'hello'");
            }
            PGNotification[] notifications = listener.unwrap(PGConnection.class).getNotifications(10_000);
            assertThat(notifications).isNotNull();
            assertThat(notifications).extracting(PGNotification::getParameter).containsExactly("hello");
        }
    }

    @Test
    void targetServerTypeIsHonouredThroughTheListeners() throws SQLException {
        try (Connection connection = proxy.connect("rw", properties("targetServerType", "primary"))) {
            assertThat(connection.isValid(5)).isTrue();
        }
        try (Connection connection = proxy.connect("ro", properties("targetServerType", "secondary"))) {
            assertThat(connection.isValid(5)).isTrue();
        }
        assertThatThrownBy(() -> proxy.connect("ro", properties("targetServerType", "primary")).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("targetServerType");
    }

    @Test
    void wrongPasswordGivesTheServersOwnError() {
        Properties wrong = properties("password", "not-the-password");
        assertThatThrownBy(() -> proxy.connect("rw", wrong).close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"))
                .hasMessageContaining("password authentication failed for user \"postgres\"");
    }

    @Test
    void cancelKeysAreReleasedWhenSessionsEnd() throws SQLException {
        try (Connection connection = proxy.connect("rw")) {
            assertThat(connection.isValid(5)).isTrue();
            assertThat(proxy.server().issuedCancelKeys()).isPositive();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.server().issuedCancelKeys() == 0);
    }

    private static Object run(Statement statement, String sql) {
        try {
            statement.execute(sql);
            return "ok";
        } catch (SQLException e) {
            return e;
        }
    }

    private static int activeQueries(String marker) throws SQLException {
        try (Connection direct = PG.cluster().primary().connect();
                Statement statement = direct.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%/* "
                        + marker + " */%' AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Properties properties(String key, String value) {
        Properties properties = new Properties();
        properties.setProperty(key, value);
        return properties;
    }
}
