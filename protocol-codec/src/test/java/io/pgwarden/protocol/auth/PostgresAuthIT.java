package io.pgwarden.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves MD5 hashing, the SCRAM-SHA-256 client, the verifier format and SASLprep against a
 * real PostgreSQL 15: the server's own stored hashes are reproduced, and logins speaking the
 * protocol with only this package succeed with the right password and fail with 28P01.
 */
class PostgresAuthIT {

    /** Passwords the server hashes itself, exercising PostgreSQL's SASLprep. */
    private static final List<String> SCRAM_PASSWORDS = List.of(
        "pencil",
        "tab\there",             // ASCII: used as is
        "ｐａｓｓ",                // fullwidth: NFKC
        "I\u00ADX",              // soft hyphen: mapped to nothing
        "a\u00A0b",              // no-break space: mapped to space
        "e\u0301te\u0301",       // combining accents: composed
        "\u2168 ﬁ",              // roman numeral nine, ligature
        "é\uE000",               // private use: SASLprep fails, raw password
        "\u0627\u0031",          // broken bidi: SASLprep fails, raw password
        "\u0627\u0031\u0628");   // valid bidi

    private static TestPostgres server;

    @BeforeAll
    static void startServer() throws Exception {
        Assumptions.assumeTrue(TestPostgres.available(), "PostgreSQL 15 binaries at " + TestPostgres.BIN);
        server = TestPostgres.start(List.of(
            "host all postgres 127.0.0.1/32 trust",
            "host all md5user 127.0.0.1/32 md5",
            "host all all 127.0.0.1/32 scram-sha-256"));
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl("postgres"));
             Statement statement = connection.createStatement()) {
            statement.execute("SET password_encryption = 'md5'");
            statement.execute("CREATE ROLE md5user LOGIN PASSWORD 'md5 secret'");
            statement.execute("SET password_encryption = 'scram-sha-256'");
            statement.execute("CREATE ROLE scramuser LOGIN PASSWORD 'scram secret'");
            statement.execute("CREATE ROLE fullwidth LOGIN PASSWORD 'ｐａｓｓ'");
            for (int i = 0; i < SCRAM_PASSWORDS.size(); i++) {
                try (PreparedStatement create = connection.prepareStatement(
                        "SELECT format('CREATE ROLE %I PASSWORD %L', ?, ?)")) {
                    create.setString(1, "prep" + i);
                    create.setString(2, SCRAM_PASSWORDS.get(i));
                    try (ResultSet sql = create.executeQuery()) {
                        sql.next();
                        statement.execute(sql.getString(1));
                    }
                }
            }
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static String storedPassword(String role) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl("postgres"));
             PreparedStatement query = connection.prepareStatement("SELECT rolpassword FROM pg_authid WHERE rolname = ?")) {
            query.setString(1, role);
            try (ResultSet result = query.executeQuery()) {
                assertThat(result.next()).as("role %s exists", role).isTrue();
                return result.getString(1);
            }
        }
    }

    @Test
    void md5HashEqualsWhatPostgresStores() throws Exception {
        assertThat(Md5Password.encrypt("md5user", "md5 secret")).isEqualTo(storedPassword("md5user"));
    }

    @Test
    void scramVerifierReproducesWhatPostgresStoresIncludingSaslPrep() throws Exception {
        for (int i = 0; i < SCRAM_PASSWORDS.size(); i++) {
            final String stored = storedPassword("prep" + i);
            final ScramVerifier parsed = ScramVerifier.parse(stored);
            assertThat(parsed.toString()).isEqualTo(stored);
            final ScramVerifier ours = ScramVerifier.fromPassword(
                ScramMechanism.SCRAM_SHA_256, SCRAM_PASSWORDS.get(i), parsed.salt(), parsed.iterations());
            assertThat(ours).as("verifier of password #%d %s", i, SCRAM_PASSWORDS.get(i)).isEqualTo(parsed);
        }
    }

    @Test
    void md5LoginSucceedsWithTheRightPasswordOnly() throws Exception {
        final RawLogin right = new RawLogin();
        assertThat(right.login(server.port(), "md5user", "md5 secret")).isEqualTo("ok");
        assertThat(right.steps).containsExactly("AuthenticationMD5Password", "ok");
        assertThat(new RawLogin().login(server.port(), "md5user", "md5 Secret")).isEqualTo("error 28P01");
    }

    @Test
    void scramLoginSucceedsWithTheRightPasswordOnly() throws Exception {
        final RawLogin right = new RawLogin();
        assertThat(right.login(server.port(), "scramuser", "scram secret")).isEqualTo("ok");
        assertThat(right.steps).containsExactly("AuthenticationSASL [SCRAM-SHA-256]", "AuthenticationSASLContinue",
            "AuthenticationSASLFinal", "ok");
        assertThat(new RawLogin().login(server.port(), "scramuser", "scram secrets")).isEqualTo("error 28P01");
    }

    @Test
    void scramLoginAppliesSaslPrepLikeTheServer() throws Exception {
        assertThat(new RawLogin().login(server.port(), "fullwidth", "pass")).isEqualTo("ok");
        assertThat(new RawLogin().login(server.port(), "fullwidth", "ｐａｓｓ")).isEqualTo("ok");
    }
}
