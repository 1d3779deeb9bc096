package io.pgwarden.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgwarden.cluster.AuthMethod;
import io.pgwarden.cluster.ClusterSettings;
import io.pgwarden.cluster.junit.LocalClusterExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Passthrough authentication: each method the server is configured with works through the
 * proxy, and a wrong password gets the server's own error.
 */
class AuthenticationMethodsIT {

    @RegisterExtension
    static final LocalClusterExtension PG = new LocalClusterExtension(ClusterSettings.builder().standbys(0).build());

    private static ProxyHarness proxy;

    @BeforeAll
    static void startProxy() {
        PG.cluster().createUser("app", "app-secret");
        proxy = ProxyHarness.start(PG.cluster(), "");
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @ParameterizedTest
    @EnumSource(AuthMethod.class)
    void rightPasswordLogsInWithTheServersMethod(AuthMethod method) throws Exception {
        PG.cluster().setAuthMethod(method);

        try (Connection connection = proxy.connect("rw", login("app", "app-secret"));
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT current_user")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("app");
        }

        Command.Result psql = Command.run(PG.cluster(), 30, Command.program(PG.cluster(), "psql"), "-X", "-A", "-t",
                "-d", "host=127.0.0.1 port=" + proxy.port("rw") + " user=app dbname=postgres sslmode=disable password=app-secret",
                "-c", "SELECT current_user");
        assertThat(psql.exitCode()).as(psql.output()).isZero();
        assertThat(psql.stdout().strip()).isEqualTo("app");
    }

    @ParameterizedTest
    @EnumSource(value = AuthMethod.class, names = "TRUST", mode = EnumSource.Mode.EXCLUDE)
    void wrongPasswordGetsTheServersInvalidPasswordError(AuthMethod method) throws Exception {
        PG.cluster().setAuthMethod(method);

        assertThatThrownBy(() -> proxy.connect("rw", login("app", "wrong")).close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"))
                .hasMessageContaining("password authentication failed for user \"app\"");

        Command.Result psql = Command.run(PG.cluster(), 30, Command.program(PG.cluster(), "psql"), "-X",
                "-d", "host=127.0.0.1 port=" + proxy.port("rw") + " user=app dbname=postgres sslmode=disable password=wrong",
                "-c", "SELECT 1");
        assertThat(psql.exitCode()).isNotZero();
        assertThat(psql.stderr()).contains("password authentication failed for user \"app\"");
    }

    private static Properties login(String user, String password) {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return properties;
    }
}
