package io.pgwarden.proxy.it;

import static io.pgwarden.proxy.wire.RawClient.concat;
import static io.pgwarden.proxy.wire.RawClient.int32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pgwarden.cluster.ClusterSettings;
import io.pgwarden.cluster.LocalNode;
import io.pgwarden.cluster.junit.LocalClusterExtension;
import io.pgwarden.protocol.SqlState;
import io.pgwarden.proxy.session.NodeRole;
import io.pgwarden.proxy.session.ProxyStatistics;
import io.pgwarden.proxy.session.RejectReason;
import io.pgwarden.proxy.session.SessionInfo;
import io.pgwarden.proxy.session.SessionState;
import io.pgwarden.proxy.wire.RawClient;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the admin API reads and does through the proxy, with pgjdbc clients on the real
 * cluster: draining a node, the session directory, ending one session, and the statistics.
 */
class SessionControlIT {

    @RegisterExtension
    static final LocalClusterExtension PG = new LocalClusterExtension(ClusterSettings.builder().standbys(2).build());

    private ProxyHarness proxy;

    @BeforeEach
    void startProxy() {
        proxy = ProxyHarness.start(PG.cluster(), "");
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    @Test
    void drainedStandbyGetsNoNewSessionsWhileItsOwnSessionGoesOn() throws Exception {
        try (Connection existing = proxy.connect("ro")) {
            int drainedPort = port(existing);
            LocalNode drained = nodeOnPort(drainedPort);
            LocalNode other = PG.cluster().standbys().stream().filter(node -> node != drained).findFirst().orElseThrow();

            assertThat(proxy.server().drain(drained.name())).isTrue();
            assertThat(proxy.server().drainedNodes()).containsExactly(drained.name());
            assertThat(proxy.server().statistics().backendSessions(drained.name())).isEqualTo(1);

            for (int i = 0; i < 4; i++) {
                try (Connection fresh = proxy.connect("ro")) {
                    assertThat(port(fresh)).isEqualTo(other.port());
                }
            }
            assertThat(port(existing)).isEqualTo(drainedPort);

            assertThat(proxy.server().undrain(drained.name())).isTrue();
            Set<Integer> ports = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                try (Connection fresh = proxy.connect("ro")) {
                    ports.add(port(fresh));
                }
            }
            assertThat(ports).containsExactlyInAnyOrder(drained.port(), other.port());
        }
    }

    @Test
    void sessionDirectoryShowsApplicationNameNodeAndTransactionState() throws Exception {
        Properties named = new Properties();
        named.setProperty("ApplicationName", "billing");
        try (Connection connection = proxy.connect("rw", named)) {
            SessionInfo idle = onlySession();
            assertThat(idle.applicationName()).contains("billing");
            assertThat(idle.state()).isEqualTo(SessionState.IDLE);
            assertThat(idle.user()).contains(PG.cluster().superuser());
            assertThat(idle.database()).contains("postgres");
            assertThat(idle.node()).contains(PG.cluster().primary().name());
            assertThat(idle.listener()).isEqualTo("rw");

            connection.setAutoCommit(false);
            execute(connection, "SELECT 1");
            assertThat(proxy.server().session(idle.id()).orElseThrow().state()).isEqualTo(SessionState.IN_TRANSACTION);

            assertThatThrownBy(() -> execute(connection, "SELECT 1/0")).isInstanceOf(SQLException.class);
            assertThat(proxy.server().session(idle.id()).orElseThrow().state())
                    .isEqualTo(SessionState.FAILED_TRANSACTION);

            connection.rollback();
            connection.setAutoCommit(true);
            execute(connection, "SET application_name = 'billing-nightly'");
            SessionInfo renamed = proxy.server().session(idle.id()).orElseThrow();
            assertThat(renamed.applicationName()).contains("billing-nightly");
            assertThat(renamed.state()).isEqualTo(SessionState.IDLE);
        }
    }

    @Test
    void terminateSessionByIdEndsThatSessionWithAdminShutdown() throws Exception {
        try (Connection victim = proxy.connect("rw"); Connection bystander = proxy.connect("rw")) {
            long victimId = sessionIdOfBackend(victim);

            assertThat(proxy.server().terminateSession(victimId, "terminating connection due to administrator command"))
                    .isTrue();

            assertThatThrownBy(() -> execute(victim, "SELECT 1"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57P01"))
                    .hasMessageContaining("administrator command");
            execute(bystander, "SELECT 1");
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.server().session(victimId).isEmpty());
            assertThat(proxy.server().terminateSession(victimId, "again")).isFalse();
        }
    }

    @Test
    void statisticsCountBytesRoutesProtocolErrorsAndAuthenticationFailures() throws Exception {
        ProxyStatistics statistics = proxy.server().statistics();
        String primary = PG.cluster().primary().name();
        String query = "SELECT repeat('x', 100000)";

        try (Connection connection = proxy.connect("rw")) {
            long fromClients = statistics.bytesFromClients("rw");
            long toClients = statistics.bytesToClients("rw");
            execute(connection, query);
            assertThat(statistics.bytesFromClients("rw") - fromClients).isGreaterThan(query.length());
            assertThat(statistics.bytesToClients("rw") - toClients).isGreaterThan(100_000);
            assertThat(statistics.openConnections("rw")).isEqualTo(1);
            assertThat(statistics.clientConnections("rw")).containsEntry(SessionState.IDLE, 1);
        }
        assertThat(statistics.routedSessions(primary, NodeRole.PRIMARY)).isEqualTo(1);
        try (Connection reader = proxy.connect("ro")) {
            String standby = nodeOnPort(port(reader)).name();
            assertThat(statistics.routedSessions(standby, NodeRole.STANDBY)).isEqualTo(1);
        }

        try (RawClient garbage = new RawClient("127.0.0.1", proxy.port("rw"))) {
            garbage.send(concat(int32(0x7FFFFFFF), "garbage".getBytes()));
            assertThat(garbage.readMessage().fields()).containsEntry('C', "08P01");
        }
        assertThat(statistics.errorsSent(SqlState.PROTOCOL_VIOLATION)).isEqualTo(1);
        assertThat(statistics.rejectedConnections("rw", RejectReason.PROTOCOL_VIOLATION)).isEqualTo(1);

        Properties wrong = new Properties();
        wrong.setProperty("password", "not-the-password");
        assertThatThrownBy(() -> proxy.connect("rw", wrong).close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
        assertThat(statistics.authenticationFailures("rw")).isEqualTo(1);
        assertThat(statistics.authenticationFailures("ro")).isZero();

        assertThat(statistics.acceptedConnections("rw")).isEqualTo(3);
        await().atMost(Duration.ofSeconds(5)).until(() -> statistics.openConnections("rw") == 0);
    }

    private SessionInfo onlySession() {
        List<SessionInfo> sessions = proxy.server().sessions();
        assertThat(sessions).hasSize(1);
        return sessions.get(0);
    }

    /** The proxy's id of the session a connection runs on, found by its backend process. */
    private long sessionIdOfBackend(Connection connection) throws SQLException {
        execute(connection, "SET application_name = 'find-me'");
        List<SessionInfo> found = new ArrayList<>();
        for (SessionInfo session : proxy.server().sessions()) {
            if (session.applicationName().filter("find-me"::equals).isPresent()) {
                found.add(session);
            }
        }
        assertThat(found).hasSize(1);
        return found.get(0).id();
    }

    private static LocalNode nodeOnPort(int port) {
        return PG.cluster().nodes().stream().filter(node -> node.port() == port).findFirst().orElseThrow();
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
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
