package io.pgwarden.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pgwarden.cluster.ClusterSettings;
import io.pgwarden.cluster.LocalNode;
import io.pgwarden.cluster.junit.LocalClusterExtension;
import io.pgwarden.proxy.session.SessionInfo;
import io.pgwarden.proxy.session.SessionState;
import io.pgwarden.proxy.topology.BackendNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Routing follows the topology: sessions end when their node loses its role, new ones wait for a primary. */
class TopologyChangeIT {

    @RegisterExtension
    static final LocalClusterExtension PG = new LocalClusterExtension(ClusterSettings.builder().standbys(1).build());

    private ProxyHarness proxy;

    @AfterEach
    void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void switchingThePrimaryEndsSessionsOnTheOldOneAndRoutesNewSessionsToTheNewOne() throws Exception {
        proxy = ProxyHarness.start(PG.cluster(), "");
        LocalNode standby = PG.cluster().standbys().get(0);
        try (Connection old = proxy.connect("rw")) {
            assertThat(port(old)).isEqualTo(PG.cluster().primary().port());

            proxy.topology().electPrimary(standby.name());

            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.server().sessions().isEmpty());
            assertThatThrownBy(() -> port(old))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57P01"))
                    .hasMessageContaining("failover")
                    .hasMessageContaining(standby.name());
        }
        try (Connection fresh = proxy.connect("rw")) {
            assertThat(port(fresh)).isEqualTo(standby.port());
        }
    }

    @Test
    void standbySessionsEndWhenTheirStandbyTurnsUnhealthy() throws Exception {
        proxy = ProxyHarness.start(PG.cluster(), "");
        LocalNode standby = PG.cluster().standbys().get(0);
        try (Connection reader = proxy.connect("ro"); Connection writer = proxy.connect("rw")) {
            assertThat(port(reader)).isEqualTo(standby.port());

            proxy.topology().setStandbyHealth(standby.name(), false);

            assertThatThrownBy(() -> port(reader))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57P01"));
            // The primary's session is not concerned.
            assertThat(port(writer)).isEqualTo(PG.cluster().primary().port());
        }
    }

    @Test
    void sessionOpenedWithoutPrimaryWaitsAndSucceedsOnceOneIsElected() throws Exception {
        proxy = ProxyHarness.start(PG.cluster(), "limits.hold-timeout = 30s");
        BackendNode primary = proxy.topology().current().primary().orElseThrow();
        proxy.topology().clearPrimary();

        CompletableFuture<Integer> held = Background.supply(() -> {
            try (Connection connection = proxy.connect("rw")) {
                return port(connection);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.server().sessions().stream()
                .map(SessionInfo::state).anyMatch(SessionState.HELD::equals));
        assertThat(held).isNotDone();

        proxy.topology().setPrimary(primary);

        assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo(primary.port());
    }

    @Test
    void sessionRoutedToAPrimaryThatRefusesConnectionsWaitsForTheNextOne() throws Exception {
        proxy = ProxyHarness.start(PG.cluster(), "limits.hold-timeout = 30s");
        BackendNode primary = proxy.topology().current().primary().orElseThrow();
        // A primary that has just died but is still elected: nothing listens on its port.
        BackendNode dead = new BackendNode(primary.name(), primary.host(), closedPort());
        proxy.topology().setPrimary(dead);

        CompletableFuture<Integer> connecting = Background.supply(() -> {
            try (Connection connection = proxy.connect("rw")) {
                return port(connection);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.server().sessions().stream()
                .map(SessionInfo::state).anyMatch(SessionState.HELD::equals));
        assertThat(connecting).isNotDone();

        proxy.topology().setPrimary(primary);

        assertThat(connecting.get(10, TimeUnit.SECONDS)).isEqualTo(primary.port());
    }

    @Test
    void primaryThatKeepsRefusingEndsInCannotConnectNowAfterTheHoldTimeout() throws Exception {
        proxy = ProxyHarness.start(PG.cluster(), "limits.hold-timeout = 1s");
        BackendNode primary = proxy.topology().current().primary().orElseThrow();
        proxy.topology().setPrimary(new BackendNode(primary.name(), primary.host(), closedPort()));

        long started = System.nanoTime();
        assertThatThrownBy(() -> proxy.connect("rw").close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57P03"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.server().clientConnections() == 0);
    }

    /** A loopback port nothing listens on (bound once, then released). */
    private static int closedPort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void holdTimeoutExpiryGivesCannotConnectNow() {
        proxy = ProxyHarness.start(PG.cluster(), "limits.hold-timeout = 1s");
        proxy.topology().clearPrimary();

        long started = System.nanoTime();
        assertThatThrownBy(() -> proxy.connect("rw").close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57P03"))
                .hasMessageContaining("no primary server is available");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.server().clientConnections() == 0);
    }

    @Test
    void zeroHoldTimeoutRefusesAtOnce() {
        proxy = ProxyHarness.start(PG.cluster(), "limits.hold-timeout = 0s");
        proxy.topology().clearPrimary();

        assertThatThrownBy(() -> proxy.connect("rw").close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57P03"));
    }

    private static int port(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT current_setting('port')::int")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
