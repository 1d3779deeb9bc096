package io.pgwarden.proxy.it;

import static io.pgwarden.proxy.wire.RawClient.concat;
import static io.pgwarden.proxy.wire.RawClient.int32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pgwarden.cluster.ClusterSettings;
import io.pgwarden.cluster.junit.LocalClusterExtension;
import io.pgwarden.proxy.wire.RawClient;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the proxy answers by itself in the startup phase, and its limits. */
class StartupAndLimitsIT {

    @RegisterExtension
    static final LocalClusterExtension PG = new LocalClusterExtension(ClusterSettings.builder().standbys(0).build());

    private static ProxyHarness proxy;

    @BeforeAll
    static void startProxy() {
        proxy = ProxyHarness.start(PG.cluster(), """
                limits {
                  max-client-connections = 3
                  startup-timeout = 2s
                  max-message-size = 64KiB
                  client-idle-timeout = 2s
                }
                """);
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void garbageStartupGetsProtocolViolationAndTheProxyKeepsServing() throws Exception {
        try (RawClient client = raw()) {
            client.send(concat(int32(0x7FFFFFFF), "garbage".getBytes()));
            assertFatal(client, "08P01");
            assertThat(client.atEndOfStream()).isTrue();
        }
        try (RawClient client = raw()) {
            client.send(concat(int32(20_000), new byte[20_000 - 4]));
            assertFatal(client, "08P01");
        }
        try (RawClient client = raw()) {
            client.send(concat(int32(12), int32(196608), new byte[] {'u', 's', 'e', 'r'}));
            assertFatal(client, "08P01");
        }
        assertQueryWorks();
    }

    @Test
    void unsupportedProtocolVersionIsRefused() throws Exception {
        try (RawClient client = raw()) {
            client.send(concat(int32(8), int32(2 << 16)));
            assertFatal(client, "0A000");
        }
    }

    @Test
    void startupThatDoesNotCompleteInTimeIsClosedWithAnError() throws Exception {
        try (RawClient client = raw()) {
            client.send(new byte[] {0, 0});
            Map<Character, String> error = assertFatal(client, "08P01");
            assertThat(error.get('M')).contains("startup did not complete within 2 s");
        }
    }

    @Test
    void sslRequestIsDeclinedWhenClientTlsIsDisabledAndGssEncryptionAlways() throws Exception {
        try (RawClient client = raw()) {
            client.send(RawClient.sslRequest());
            assertThat(client.readByte()).isEqualTo('N');
            client.send(RawClient.gssEncRequest());
            assertThat(client.readByte()).isEqualTo('N');
            // Plain text continues: the proxy now expects the StartupMessage.
            client.send(RawClient.startupMessage("user", "postgres", "replication", "true"));
            assertFatal(client, "0A000");
        }
    }

    @Test
    void bytesSentWithTheSslRequestAreRejected() throws Exception {
        try (RawClient client = raw()) {
            client.send(concat(RawClient.sslRequest(), RawClient.startupMessage("user", "postgres")));
            Map<Character, String> error = assertFatal(client, "08P01");
            assertThat(error.get('M')).contains("unencrypted data after SSL request");
        }
    }

    @Test
    void cancelRequestWithAnUnknownKeyIsIgnoredSilently() throws Exception {
        try (RawClient client = raw()) {
            client.send(RawClient.cancelRequest(12345, 67890));
            assertThat(client.readToEnd()).isEmpty();
        }
        assertQueryWorks();
    }

    @Test
    void startupWithoutUserIsRefused() throws Exception {
        try (RawClient client = raw()) {
            client.send(RawClient.startupMessage("database", "postgres"));
            Map<Character, String> error = assertFatal(client, "28000");
            assertThat(error.get('M')).contains("no PostgreSQL user name");
        }
    }

    @Test
    void connectionsOverTheLimitGetTooManyConnections() throws Exception {
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.server().clientConnections() == 0);
        try (Connection first = proxy.connect("rw"); Connection second = proxy.connect("rw"); Connection third = proxy.connect("rw")) {
            assertThatThrownBy(() -> proxy.connect("rw").close())
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("53300"))
                    .hasMessageContaining("too many clients");
            assertThat(first.isValid(5) && second.isValid(5) && third.isValid(5)).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.server().clientConnections() == 0);
        assertQueryWorks();
    }

    @Test
    void oversizedMessageEndsTheSessionWithProtocolViolation() throws Exception {
        try (Connection connection = proxy.connect("rw"); Statement statement = connection.createStatement()) {
            String big = "x".repeat(70 * 1024);
            assertThatThrownBy(() -> statement.execute("SELECT '" + big + "'"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isIn("08P01", "08006"));
        }
        assertQueryWorks();
    }

    @Test
    void idleClientIsClosedAfterTheIdleTimeout() throws Exception {
        try (Connection connection = proxy.connect("rw"); Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.server().sessions().isEmpty());
            assertThatThrownBy(() -> statement.execute("SELECT 1"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("57P05"));
        }
    }

    @Test
    void sessionInsideATransactionIsNotClosedForIdleness() throws Exception {
        try (Connection connection = proxy.connect("rw"); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("SELECT 1");
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> proxy.server().sessions().size() == 1);
            statement.execute("SELECT 2");
            connection.commit();
        }
    }

    private static RawClient raw() throws Exception {
        return new RawClient("127.0.0.1", proxy.port("rw"));
    }

    private static Map<Character, String> assertFatal(RawClient client, String sqlState) throws Exception {
        RawClient.Received message = client.readMessage();
        assertThat(message.type()).isEqualTo('E');
        Map<Character, String> fields = message.fields();
        assertThat(fields.get('S')).isEqualTo("FATAL");
        assertThat(fields.get('C')).isEqualTo(sqlState);
        assertThat(client.atEndOfStream()).isTrue();
        return fields;
    }

    private static void assertQueryWorks() throws SQLException {
        try (Connection connection = proxy.connect("rw"); Statement statement = connection.createStatement()) {
            assertThat(statement.execute("SELECT 1")).isTrue();
        }
    }
}
