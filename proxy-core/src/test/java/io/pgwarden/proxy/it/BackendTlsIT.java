package io.pgwarden.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pgwarden.cluster.ClusterSettings;
import io.pgwarden.cluster.LocalNode;
import io.pgwarden.cluster.junit.LocalClusterExtension;
import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.proxy.topology.MutableTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TLS from the proxy to a server with {@code ssl = on}, in each of libpq's modes. */
class BackendTlsIT {

    @RegisterExtension
    static final LocalClusterExtension PG = new LocalClusterExtension(ClusterSettings.builder().standbys(0).build());

    private static Path directory;
    private static TestCertificates serverCertificate;
    private static TestCertificates strangerCertificate;
    private ProxyHarness proxy;

    @BeforeAll
    static void enableServerTls() throws Exception {
        assumeTrue(TestCertificates.opensslAvailable(), "the openssl tool makes the test certificates");
        directory = Files.createTempDirectory("pgwarden-backend-tls");
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        serverCertificate = TestCertificates.create(directory);
        Path strangers = Files.createDirectory(directory.resolve("stranger"));
        strangerCertificate = TestCertificates.create(strangers);
        // PostgreSQL refuses a key that others can read or that its own user does not own.
        Files.setPosixFilePermissions(serverCertificate.keyFile(), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(serverCertificate.certFile(), PosixFilePermissions.fromString("rw-r--r--"));
        UserPrincipal serverUser = directory.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(PG.cluster().serverUserName());
        Files.setOwner(serverCertificate.keyFile(), serverUser);
        Files.setOwner(serverCertificate.certFile(), serverUser);

        LocalNode primary = PG.cluster().primary();
        primary.execute("ALTER SYSTEM SET ssl_cert_file = '" + serverCertificate.certFile() + "'");
        primary.execute("ALTER SYSTEM SET ssl_key_file = '" + serverCertificate.keyFile() + "'");
        primary.execute("ALTER SYSTEM SET ssl = on");
        primary.execute("SELECT pg_reload_conf()");
        await().atMost(Duration.ofSeconds(20)).until(() -> "on".equals(primary.queryForString("SHOW ssl")));
    }

    @AfterAll
    static void removeCertificates() throws Exception {
        if (directory != null) {
            try (var files = Files.walk(directory)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    @AfterEach
    void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void requireEncryptsTheServerHop() throws SQLException {
        start("mode = require");
        assertThat(serverHopEncrypted()).isTrue();
    }

    @Test
    void preferEncryptsWhenTheServerOffersTls() throws SQLException {
        start("mode = prefer");
        assertThat(serverHopEncrypted()).isTrue();
    }

    @Test
    void disableKeepsTheServerHopPlain() throws SQLException {
        start("mode = disable");
        assertThat(serverHopEncrypted()).isFalse();
    }

    @Test
    void verifyFullAcceptsACertificateFromTheConfiguredAuthority() throws SQLException {
        start("mode = verify-full\n ca-file = \"" + serverCertificate.certFile() + "\"");
        assertThat(serverHopEncrypted()).isTrue();
    }

    @Test
    void verifyFullRefusesACertificateFromAnotherAuthority() {
        start("mode = verify-full\n ca-file = \"" + strangerCertificate.certFile() + "\"");
        assertThatThrownBy(() -> proxy.connect("rw").close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"))
                .hasMessageContaining("could not establish SSL");
    }

    @Test
    void scramWorksThoughTheServerOffersChannelBindingOverItsTlsHop() throws SQLException {
        start("mode = require");
        Properties properties = new Properties();
        properties.setProperty("channelBinding", "prefer");
        try (Connection connection = proxy.connect("rw", properties)) {
            assertThat(connection.isValid(5)).isTrue();
        }
    }

    /**
     * With TLS on both hops a libpq client that prefers channel binding cannot log in through a
     * relay (the server sees a TLS client that declines binding it offered, and suspects a
     * downgrade); without channel binding it can.
     */
    @Test
    void psqlWithoutChannelBindingLogsInOverTwoTlsHops() throws Exception {
        PgwardenSettings settings = ProxyHarness.settings(PG.cluster(), "tls.backend { mode = require }\n"
                + "tls.client { mode = allow\n cert-file = \"" + serverCertificate.certFile() + "\"\n key-file = \""
                + serverCertificate.keyFile() + "\" }");
        proxy = ProxyHarness.start(PG.cluster(), settings, MutableTopology.fromBackends(settings.backends()));

        Command.Result result = Command.run(PG.cluster(), 30, Command.program(PG.cluster(), "psql"), "-X", "-A", "-t",
                "-d", "host=127.0.0.1 port=" + proxy.port("rw") + " user=" + PG.cluster().superuser()
                        + " dbname=postgres sslmode=require channel_binding=disable",
                "-c", "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout().strip()).isEqualTo("t");
    }

    private void start(String backendTls) {
        PgwardenSettings settings = ProxyHarness.settings(PG.cluster(), "tls.backend { " + backendTls + " }");
        proxy = ProxyHarness.start(PG.cluster(), settings, MutableTopology.fromBackends(settings.backends()));
    }

    private boolean serverHopEncrypted() throws SQLException {
        try (Connection connection = proxy.connect("rw");
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            assertThat(rs.next()).isTrue();
            return rs.getBoolean(1);
        }
    }
}
