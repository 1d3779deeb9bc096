package io.pgwarden.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pgwarden.cluster.ClusterSettings;
import io.pgwarden.cluster.junit.LocalClusterExtension;
import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.proxy.topology.MutableTopology;
import io.pgwarden.proxy.wire.RawClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TLS termination for clients: psql and pgjdbc with sslmode require and verify-full. */
class ClientTlsIT {

    @RegisterExtension
    static final LocalClusterExtension PG = new LocalClusterExtension(ClusterSettings.builder().standbys(0).build());

    private static Path directory;
    private static TestCertificates certificates;
    private static ProxyHarness allowing;
    private static ProxyHarness requiring;

    @BeforeAll
    static void startProxies() throws Exception {
        assumeTrue(TestCertificates.opensslAvailable(), "the openssl tool makes the test certificate");
        directory = Files.createTempDirectory("pgwarden-tls");
        certificates = TestCertificates.create(directory);
        allowing = start("allow");
        requiring = start("require");
    }

    private static ProxyHarness start(String mode) {
        PgwardenSettings settings = ProxyHarness.settings(PG.cluster(), "tls.client { mode = " + mode
                + "\n cert-file = \"" + certificates.certFile() + "\"\n key-file = \"" + certificates.keyFile() + "\" }");
        return ProxyHarness.start(PG.cluster(), settings, MutableTopology.fromBackends(settings.backends()));
    }

    @AfterAll
    static void stopProxies() throws Exception {
        if (allowing != null) {
            allowing.close();
        }
        if (requiring != null) {
            requiring.close();
        }
        if (directory != null) {
            for (Path file : Files.list(directory).toList()) {
                Files.delete(file);
            }
            Files.delete(directory);
        }
    }

    @Test
    void psqlConnectsWithSslmodeRequire() throws Exception {
        Command.Result result = psql(allowing, "sslmode=require");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout()).contains("SSL connection (protocol: TLSv1.");
    }

    @Test
    void psqlVerifiesTheProxysCertificateWithSslmodeVerifyFull() throws Exception {
        Command.Result result = psql(requiring, "sslmode=verify-full sslrootcert=" + certificates.certFile());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout()).contains("SSL connection (protocol: TLSv1.");
    }

    @Test
    void pgjdbcConnectsWithVerifyFull() throws SQLException {
        Properties ssl = new Properties();
        ssl.setProperty("sslmode", "verify-full");
        ssl.setProperty("sslrootcert", certificates.certFile().toString());
        try (Connection connection = requiring.connect("rw", ssl);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT 42")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }

    @Test
    void plainTextClientsAreServedWhenAllowedAndRefusedWhenRequired() throws Exception {
        try (Connection connection = allowing.connect("rw")) {
            assertThat(connection.isValid(5)).isTrue();
        }
        assertThatThrownBy(() -> requiring.connect("rw").close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28000"))
                .hasMessageContaining("requires an SSL connection");
    }

    @Test
    void sslRequestIsAnsweredWithS() throws Exception {
        try (RawClient client = new RawClient("127.0.0.1", allowing.port("rw"))) {
            client.send(RawClient.sslRequest());
            assertThat(client.readByte()).isEqualTo('S');
        }
    }

    private static Command.Result psql(ProxyHarness proxy, String sslOptions) throws Exception {
        return Command.run(PG.cluster(), 30, Command.program(PG.cluster(), "psql"), "-X",
                "-d", "host=127.0.0.1 port=" + proxy.port("rw") + " user=" + PG.cluster().superuser()
                        + " dbname=postgres " + sslOptions,
                "-c", "\\conninfo");
    }
}
