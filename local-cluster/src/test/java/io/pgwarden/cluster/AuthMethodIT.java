package io.pgwarden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgwarden.cluster.junit.LocalClusterExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every node checks passwords the way the cluster's authentication method says, and can switch methods. */
class AuthMethodIT {
    private static final String USER = "app";
    private static final String PASSWORD = "s3cret 'quoted' \\ pass";

    @RegisterExtension
    static final LocalClusterExtension PG = new LocalClusterExtension(ClusterSettings.builder()
            .standbys(1)
            .authMethod(AuthMethod.SCRAM_SHA_256)
            .build());

    @BeforeAll
    static void createUser(LocalCluster cluster) {
        cluster.createUser(USER, PASSWORD);
    }

    @ParameterizedTest
    @EnumSource(value = AuthMethod.class, names = {"SCRAM_SHA_256", "MD5", "PASSWORD"})
    void rightPasswordLogsInAndWrongOneFailsWith28P01OnEveryNode(AuthMethod method) throws SQLException {
        PG.cluster().setAuthMethod(method);

        for (LocalNode node : PG.cluster().nodes()) {
            try (Connection connection = node.connect("postgres", USER, PASSWORD);
                    Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("SELECT current_user")) {
                result.next();
                assertThat(result.getString(1)).isEqualTo(USER);
            }
            assertThatThrownBy(() -> node.connect("postgres", USER, "wrong").close())
                    .as("wrong password on %s", node.name())
                    .isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
            assertThat(node.queryForString("SELECT string_agg(DISTINCT auth_method, ',') FROM pg_hba_file_rules"))
                    .isEqualTo(method.hbaMethod());
        }
    }

    @ParameterizedTest
    @EnumSource(value = AuthMethod.class, names = {"SCRAM_SHA_256", "MD5"})
    void passwordsAreStoredInTheFormTheMethodChecks(AuthMethod method) {
        PG.cluster().setAuthMethod(method);
        String prefix = method == AuthMethod.MD5 ? "md5" : "SCRAM-SHA-256$";

        for (LocalNode node : PG.cluster().nodes()) {
            assertThat(node.queryForString("SELECT rolpassword FROM pg_authid WHERE rolname = '" + USER + "'"))
                    .startsWith(prefix);
            assertThat(node.queryForString("SELECT rolpassword FROM pg_authid WHERE rolname = current_user"))
                    .startsWith(prefix);
        }
    }

    @Test
    void trustLetsAnyPasswordIn() throws SQLException {
        PG.cluster().setAuthMethod(AuthMethod.TRUST);

        for (LocalNode node : PG.cluster().nodes()) {
            try (Connection connection = node.connect("postgres", USER, "wrong")) {
                assertThat(connection.isValid(5)).isTrue();
            }
        }
    }

    @Test
    void standbysKeepStreamingAcrossASwitch() {
        PG.cluster().setAuthMethod(AuthMethod.MD5);
        PG.cluster().setAuthMethod(AuthMethod.SCRAM_SHA_256);
        LocalNode standby = PG.cluster().node("pg2");

        standby.restart();

        PG.cluster().primary().execute("CREATE TABLE IF NOT EXISTS after_switch (id int)");
        PG.cluster().awaitReplayed(standby, java.time.Duration.ofSeconds(60));
        assertThat(standby.queryForString("SELECT to_regclass('after_switch')::text")).isEqualTo("after_switch");
    }
}
