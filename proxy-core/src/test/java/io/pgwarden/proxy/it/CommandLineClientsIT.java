package io.pgwarden.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgwarden.cluster.ClusterSettings;
import io.pgwarden.cluster.LocalCluster;
import io.pgwarden.cluster.junit.LocalClusterExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** libpq clients through the proxy: psql and pgbench. */
class CommandLineClientsIT {

    @RegisterExtension
    static final LocalClusterExtension PG = new LocalClusterExtension(ClusterSettings.builder().standbys(1).build());

    private static ProxyHarness proxy;

    @BeforeAll
    static void startProxy() throws Exception {
        proxy = ProxyHarness.start(PG.cluster(), "");
        Command.Result init = Command.run(PG.cluster(), 120, pgbench(), "-i", "-s", "1", "-q", "-d", conninfo("rw"));
        assertThat(init.exitCode()).as(init.output()).isZero();
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void psqlRunsQueriesOnBothListeners() throws Exception {
        Command.Result rw = psql("rw", "-c", "SELECT 'rw:' || pg_is_in_recovery()");
        assertThat(rw.exitCode()).as(rw.output()).isZero();
        assertThat(rw.stdout().strip()).isEqualTo("rw:false");

        Command.Result ro = psql("ro", "-c", "SELECT 'ro:' || pg_is_in_recovery()");
        assertThat(ro.exitCode()).as(ro.output()).isZero();
        assertThat(ro.stdout().strip()).isEqualTo("ro:true");
    }

    @Test
    void psqlCopiesInAndOut(@TempDir Path directory) throws Exception {
        Path source = directory.resolve("in.csv");
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            rows.append(i).append(",row ").append(i).append('\n');
        }
        Files.writeString(source, rows);
        Path target = directory.resolve("out.csv");

        Command.Result copy = psql("rw",
                "-c", "DROP TABLE IF EXISTS psql_copy",
                "-c", "CREATE TABLE psql_copy (id int, name text)",
                "-c", "\\copy psql_copy FROM '" + source + "' WITH (FORMAT csv)",
                "-c", "\\copy (SELECT * FROM psql_copy ORDER BY id) TO '" + target + "' WITH (FORMAT csv)");

        assertThat(copy.exitCode()).as(copy.output()).isZero();
        assertThat(copy.stdout()).contains("COPY 20000");
        assertThat(Files.readString(target, StandardCharsets.UTF_8)).isEqualTo(rows.toString());
    }

    @Test
    void psqlInterruptCancelsTheRunningQuery() throws Exception {
        Process psql = Command.start(PG.cluster(), List.of(program("psql"), "-X", "-v", "ON_ERROR_STOP=1", "-d", conninfo("rw"),
                "-c", "SELECT pg_sleep(60) /* psql-cancel */"));
        psql.getOutputStream().close();
        CompletableFuture<String> stderr = Command.drain(psql.getErrorStream());
        Command.drain(psql.getInputStream());
        await().atMost(Duration.ofSeconds(15)).until(() -> activeQueries("psql-cancel") == 1);

        Process interrupt = new ProcessBuilder("kill", "-INT", Long.toString(psql.pid())).start();
        assertThat(interrupt.waitFor(10, TimeUnit.SECONDS)).isTrue();

        assertThat(psql.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(stderr.get(5, TimeUnit.SECONDS)).contains("canceling statement due to user request");
        await().atMost(Duration.ofSeconds(5)).until(() -> activeQueries("psql-cancel") == 0);
    }

    @Test
    void libpqTargetSessionAttrsSeesTheRolesThroughTheListeners() throws Exception {
        Command.Result rw = psql(conninfo("rw") + " target_session_attrs=read-write", "-c", "SELECT 1");
        assertThat(rw.exitCode()).as(rw.output()).isZero();

        Command.Result ro = psql(conninfo("ro") + " target_session_attrs=read-write", "-c", "SELECT 1");
        assertThat(ro.exitCode()).isNotZero();
        assertThat(ro.stderr()).contains("read-only");
    }

    @ParameterizedTest
    @ValueSource(strings = {"simple", "extended", "prepared"})
    void pgbenchRunsWithoutFailedTransactions(String mode) throws Exception {
        Command.Result bench = Command.run(PG.cluster(), 60, pgbench(), "-M", mode, "-c", "4", "-j", "2", "-T", "3",
                "-d", conninfo("rw"));

        assertThat(bench.exitCode()).as(bench.output()).isZero();
        Matcher processed = Pattern.compile("number of transactions actually processed: (\\d+)").matcher(bench.stdout());
        assertThat(processed.find()).as(bench.output()).isTrue();
        assertThat(Long.parseLong(processed.group(1))).isPositive();
        assertThat(bench.stdout()).contains("number of failed transactions: 0 ");
    }

    private static Command.Result psql(String listenerOrConninfo, String... arguments) throws Exception {
        String conninfo = listenerOrConninfo.contains("=") ? listenerOrConninfo : conninfo(listenerOrConninfo);
        List<String> command = Command.args(program("psql"), "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", conninfo);
        command.addAll(List.of(arguments));
        return Command.run(PG.cluster(), 60, command.toArray(String[]::new));
    }

    private static String conninfo(String listener) {
        LocalCluster cluster = PG.cluster();
        return "host=127.0.0.1 port=" + proxy.port(listener) + " user=" + cluster.superuser() + " dbname=postgres sslmode=disable";
    }

    private static String program(String name) {
        return Command.program(PG.cluster(), name);
    }

    private static String pgbench() {
        return program("pgbench");
    }

    private static int activeQueries(String marker) throws Exception {
        try (Connection direct = PG.cluster().primary().connect();
                Statement statement = direct.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%/* "
                        + marker + " */%' AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
