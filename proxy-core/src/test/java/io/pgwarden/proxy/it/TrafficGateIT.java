package io.pgwarden.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pgwarden.cluster.ClusterSettings;
import io.pgwarden.cluster.LocalNode;
import io.pgwarden.cluster.junit.LocalClusterExtension;
import io.pgwarden.proxy.session.FirstRouteAfterFailover;
import io.pgwarden.proxy.session.SessionInfo;
import io.pgwarden.proxy.session.SessionState;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a planned switchover asks of the proxy, with pgjdbc clients on the real cluster: ending
 * the sessions of one node, holding new transactions, and telling when none is open.
 */
class TrafficGateIT {

    @RegisterExtension
    static final LocalClusterExtension PG = new LocalClusterExtension(ClusterSettings.builder().standbys(1).build());

    private ProxyHarness proxy;

    @BeforeAll
    static void createTable() throws SQLException {
        try (Connection connection = direct(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE gate_test (id int PRIMARY KEY, note text)");
        }
    }

    @AfterEach
    void stopProxy() throws SQLException {
        if (proxy != null) {
            proxy.close();
        }
        try (Connection connection = direct(); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE gate_test");
        }
    }

    /** A connection to the primary that bypasses the proxy. */
    private static Connection direct() throws SQLException {
        LocalNode primary = PG.cluster().primary();
        Properties credentials = new Properties();
        credentials.setProperty("user", PG.cluster().superuser());
        credentials.setProperty("password", PG.cluster().password());
        return DriverManager.getConnection(
                "jdbc:postgresql://" + primary.host() + ":" + primary.port() + "/postgres", credentials);
    }

    @Test
    void terminateSessionsEndsTheSessionsOfThatNodeOnlyWithAdminShutdown() throws Exception {
        proxy = ProxyHarness.start(PG.cluster(), "");
        LocalNode primary = PG.cluster().primary();
        try (Connection writer = proxy.connect("rw"); Connection reader = proxy.connect("ro")) {
            assertThat(port(writer)).isEqualTo(primary.port());
            assertThat(port(reader)).isEqualTo(PG.cluster().standbys().get(0).port());

            int ended = proxy.server().terminateSessions(primary.name(),
                    "terminating connection: switchover from " + primary.name());

            assertThat(ended).isEqualTo(1);
            assertThatThrownBy(() -> port(writer))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57P01"))
                    .hasMessageContaining("switchover from " + primary.name());
            assertThat(port(reader)).isEqualTo(PG.cluster().standbys().get(0).port());
        }
    }

    @Test
    void pausedClientsNextTransactionWaitsUntilResumeAndThenSucceeds() throws Exception {
        proxy = ProxyHarness.start(PG.cluster(), "");
        try (Connection connection = proxy.connect("rw")) {
            execute(connection, "INSERT INTO gate_test VALUES (1, 'before pause')");
            proxy.server().pause();

            CompletableFuture<Integer> insert = Background.supply(
                    () -> update(connection, "INSERT INTO gate_test VALUES (2, 'while paused')"));
            await().atMost(Duration.ofSeconds(10)).until(() -> sessionState() == SessionState.HELD);
            assertThat(insert).isNotDone();
            assertThat(proxy.server().awaitIdle(Duration.ofSeconds(5))).isTrue();

            proxy.server().resume();

            assertThat(insert.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(count(connection)).isEqualTo(2);
        }
    }

    @Test
    void transactionOpenWhenPausedIsCommittedAndThenEverySessionIsIdle() throws Exception {
        proxy = ProxyHarness.start(PG.cluster(), "");
        try (Connection connection = proxy.connect("rw")) {
            connection.setAutoCommit(false);
            execute(connection, "INSERT INTO gate_test VALUES (1, 'first half')");

            proxy.server().pause();
            assertThat(proxy.server().awaitIdle(Duration.ofMillis(300))).isFalse();

            execute(connection, "INSERT INTO gate_test VALUES (2, 'second half')");
            connection.commit();

            assertThat(proxy.server().awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(sessionState()).isEqualTo(SessionState.IDLE);
            proxy.server().resume();
            connection.setAutoCommit(true);
            assertThat(count(connection)).isEqualTo(2);
        }
    }

    @Test
    void awaitIdleGivesUpAtTheTimeoutWhileATransactionStaysOpen() throws Exception {
        proxy = ProxyHarness.start(PG.cluster(), "");
        try (Connection connection = proxy.connect("rw")) {
            connection.setAutoCommit(false);
            execute(connection, "INSERT INTO gate_test VALUES (1, 'never committed')");
            proxy.server().pause();

            long started = System.nanoTime();
            assertThat(proxy.server().awaitIdle(Duration.ofSeconds(1))).isFalse();

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
            assertThat(sessionState()).isEqualTo(SessionState.IN_TRANSACTION);
            connection.rollback();
            assertThat(proxy.server().awaitIdle(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void heldSessionOnANodeThatLosesItsRoleIsEndedAndNewSessionsGoToTheNewPrimary() throws Exception {
        proxy = ProxyHarness.start(PG.cluster(), "limits.hold-timeout = 30s");
        LocalNode standby = PG.cluster().standbys().get(0);
        try (Connection old = proxy.connect("rw")) {
            proxy.server().pause();
            CompletableFuture<Integer> heldQuery = Background.supply(() -> portOrFail(old));
            CompletableFuture<Integer> newSession = Background.supply(() -> portOfNewSession("rw"));
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.server().sessions().stream()
                    .filter(session -> session.state() == SessionState.HELD).count() == 2);
            assertThat(proxy.server().awaitIdle(Duration.ofSeconds(5))).isTrue();

            proxy.topology().electPrimary(standby.name());
            proxy.server().resume();

            assertThat(newSession.get(20, TimeUnit.SECONDS)).isEqualTo(standby.port());
            assertThatThrownBy(() -> heldQuery.get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IllegalStateException.class)
                    .hasRootCauseInstanceOf(SQLException.class)
                    .hasMessageContaining("57P01");
            assertThat(proxy.server().statistics().lastFirstRouteAfterFailover())
                    .map(FirstRouteAfterFailover::node).contains(standby.name());
        }
    }

    @Test
    void pauseOfOneNodeHoldsItsTransactionsAndNewPrimarySessionsWhileTheOtherNodeGoesOn() throws Exception {
        proxy = ProxyHarness.start(PG.cluster(), "limits.hold-timeout = 30s");
        LocalNode primary = PG.cluster().primary();
        LocalNode standby = PG.cluster().standbys().get(0);
        try (Connection writer = proxy.connect("rw"); Connection report = proxy.connect("ro")) {
            assertThat(port(writer)).isEqualTo(primary.port());
            report.setAutoCommit(false);
            assertThat(port(report)).isEqualTo(standby.port());

            proxy.server().pause(Set.of(primary.name()));

            // The report's open transaction is on a node the pause does not cover.
            assertThat(proxy.server().awaitIdle(Duration.ofSeconds(5))).isTrue();
            CompletableFuture<Integer> heldWrite = Background.supply(
                    () -> update(writer, "INSERT INTO gate_test VALUES (1, 'while the primary is paused')"));
            CompletableFuture<Integer> newWriteSession = Background.supply(() -> portOfNewSession("rw"));
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.server().sessions().stream()
                    .filter(session -> session.state() == SessionState.HELD).count() == 2);
            assertThat(port(report)).isEqualTo(standby.port());
            report.commit();
            try (Connection newReport = proxy.connect("ro")) {
                assertThat(port(newReport)).isEqualTo(standby.port());
            }
            assertThat(heldWrite).isNotDone();
            assertThat(newWriteSession).isNotDone();

            proxy.server().resume();

            assertThat(heldWrite.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(newWriteSession.get(10, TimeUnit.SECONDS)).isEqualTo(primary.port());
        }
    }

    /** Opens a session on {@code listener} and returns the port of the server it landed on. */
    private int portOfNewSession(String listener) {
        try (Connection fresh = proxy.connect(listener)) {
            return port(fresh);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private SessionState sessionState() {
        return proxy.server().sessions().stream().map(SessionInfo::state).findFirst().orElseThrow();
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static int update(Connection connection, String sql) {
        try (Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM gate_test")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static int portOrFail(Connection connection) {
        try {
            return port(connection);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getSQLState() + " " + e.getMessage(), e);
        }
    }

    private static int port(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT current_setting('port')::int")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
