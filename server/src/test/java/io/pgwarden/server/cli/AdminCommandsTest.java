package io.pgwarden.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgwarden.admin.AdminServer;
import io.pgwarden.admin.metrics.PgwardenMetrics;
import io.pgwarden.admin.port.AdminPorts;
import io.pgwarden.admin.port.ProxyStats;
import io.pgwarden.admin.port.ReloadOutcome;
import io.pgwarden.admin.port.TrafficControl;
import io.pgwarden.config.AdminSettings;
import io.pgwarden.config.AdminTlsSettings;
import io.pgwarden.config.SettingsLoader;
import io.pgwarden.config.Secret;
import io.pgwarden.health.event.EventKind;
import io.pgwarden.health.event.Outcome;
import io.pgwarden.health.event.Reason;
import io.pgwarden.health.failover.CommandResult;
import io.pgwarden.health.failover.FailoverResult;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin subcommands against a real admin listener over a stub cluster. */
class AdminCommandsTest {

    private static final String TOKEN = "cli-test-token";

    private final StubCluster cluster = new StubCluster();
    private final AtomicBoolean paused = new AtomicBoolean();
    private volatile Supplier<ReloadOutcome> reload = () -> new ReloadOutcome(List.of(), List.of());
    private PgwardenMetrics metrics;
    private AdminServer server;
    private String url;

    @BeforeEach
    void start() throws Exception {
        TrafficControl traffic = new TrafficControl() {
            @Override
            public void pause() {
                paused.set(true);
            }

            @Override
            public void resume() {
                paused.set(false);
            }

            @Override
            public boolean paused() {
                return paused.get();
            }
        };
        AdminPorts ports = new AdminPorts(ProxyStats.NONE, AdminPorts.NONE.sessions(), AdminPorts.NONE.drain(), traffic,
                () -> true, () -> reload.get());
        metrics = PgwardenMetrics.create(cluster, ports.stats());
        server = new AdminServer(new AdminSettings(true, "127.0.0.1", 0, Optional.of(new Secret(TOKEN)), false,
                new AdminTlsSettings(false, Optional.empty(), Optional.empty())), cluster, ports, metrics);
        url = "http://127.0.0.1:" + server.start().getPort();
    }

    @AfterEach
    void stop() {
        server.close();
        metrics.close();
    }

    private CliRun run(String command, String... more) {
        String[] args = new String[more.length + 3];
        args[0] = command;
        args[1] = "--admin-url";
        args[2] = url;
        System.arraycopy(more, 0, args, 3, more.length);
        return CliRun.of(args);
    }

    @Test
    void statusPrintsTheClusterAsATable() {
        CliRun status = run("status");

        assertThat(status.status()).as(status.err()).isZero();
        List<String> lines = status.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("epoch 1, primary pg1, failover mode automatic, traffic running");
        assertThat(lines.get(2)).matches("NODE +ADDRESS +ROLE +HEALTH +STATE +TL +LSN +LAG +SESSIONS");
        assertThat(lines.get(3)).matches("pg1 +10\\.0\\.0\\.1:5432 +primary +up +elected +1 +0/5000060 +- +0");
        assertThat(lines.get(4)).matches("pg2 +10\\.0\\.0\\.2:5432 +standby +up +- +1 +0/5000000 +96B/1\\.5s +0");
        // Columns line up under their headers.
        assertThat(lines.get(3).indexOf("primary")).isEqualTo(lines.get(2).indexOf("ROLE"));
    }

    @Test
    void eventsPrintsTheHistoryWithActionOutput() {
        cluster.events.record(1, EventKind.NODE_FENCED, Optional.of("pg2"), Reason.OPERATOR_REQUEST, Outcome.SUCCEEDED,
                "no longer routed", Optional.empty());
        cluster.events.record(1, EventKind.NODE_UNFENCED, Optional.of("pg2"), Reason.OPERATOR_REQUEST,
                Outcome.SUCCEEDED, "operator request", Optional.empty());

        CliRun events = run("events", "--last", "1");
        assertThat(events.status()).as(events.err()).isZero();
        assertThat(events.out()).contains("node-unfenced").doesNotContain("node-fenced");
        assertThat(run("events", "--since", "2").out()).isEqualTo("no events since 2" + System.lineSeparator());
        assertThat(run("events").out()).contains("node-fenced").contains("operator-request");
    }

    @Test
    void mutatingCommandsSendTheToken() {
        CliRun switchover = run("switchover", "--token", TOKEN, "--to", "pg2");
        assertThat(switchover.status()).as(switchover.err()).isZero();
        assertThat(switchover.out()).contains("switchover done: pg2 is the primary of epoch 2 (was pg1, now fenced)");

        assertThat(run("fence", "pg2", "--token", TOKEN).out()).isEqualTo("pg2 fenced" + System.lineSeparator());
        assertThat(run("unfence", "pg2", "--token", TOKEN).out()).contains("pg2 unfenced");
        assertThat(run("pause", "--token", TOKEN).out()).contains("traffic paused");
        assertThat(paused).isTrue();
        assertThat(run("resume", "--token", TOKEN).out()).contains("traffic resumed");
        assertThat(paused).isFalse();
        reload = () -> new ReloadOutcome(List.of("pgwarden.backends: added pg3"),
                List.of("pgwarden.admin.port: 6480 -> 6481 (needs a restart)"));
        CliRun reloaded = run("reload", "--token", TOKEN);
        assertThat(reloaded.out()).contains("1 change(s) applied").contains("  pgwarden.backends: added pg3")
                .contains("waiting for a restart:").contains("  pgwarden.admin.port");
    }

    @Test
    void missingOrWrongTokensAreOneLineAndExitFour() {
        CliRun missing = run("fence", "pg2");
        assertThat(missing.status()).isEqualTo(4);
        assertThat(missing.err().lines()).containsExactly(
                "pgwarden: fence of pg2 needs the admin token: pass --token or set PGWARDEN_ADMIN_TOKEN"
                        + " (this endpoint needs 'Authorization: Bearer <token>')");
        CliRun wrong = run("pause", "--token", "guess");
        assertThat(wrong.status()).isEqualTo(4);
        assertThat(wrong.err().lines()).containsExactly("pgwarden: pause was not allowed: the bearer token is not valid");
        assertThat(paused).isFalse();
    }

    @Test
    void refusedOperationsExitOne() {
        cluster.switchoverResult = new FailoverResult(false, Optional.of("pg1"), Optional.empty(), 1, Reason.NOT_HEALTHY,
                "switchover needs an elected primary that is up and writable", Duration.ZERO);
        CliRun refused = run("switchover", "--token", TOKEN);
        assertThat(refused.status()).isEqualTo(1);
        assertThat(refused.err().lines()).hasSize(1).first().asString()
                .startsWith("pgwarden: switchover refused: switchover did not elect a new primary (not-healthy)");

        cluster.fenceResult = new CommandResult(false, "never");
        assertThat(run("fence", "pg9", "--token", TOKEN).err()).contains("no backend named 'pg9'");
        assertThat(run("fence", "pg9", "--token", TOKEN).status()).isEqualTo(1);
    }

    @Test
    void anInvalidReloadPrintsEveryProblemAndExitsTwo() {
        reload = () -> {
            new SettingsLoader(Map.of()).parse("pgwarden.limits.max-client-connections = 0");
            return new ReloadOutcome(List.of(), List.of());
        };
        CliRun refused = run("reload", "--token", TOKEN);
        assertThat(refused.status()).isEqualTo(2);
        assertThat(refused.err()).startsWith("pgwarden: reload refused: the new configuration has 1 problem")
                .contains("  ").contains("pgwarden.limits.max-client-connections");
    }

    @Test
    void anUnreachableAdminApiIsOneLineAndExitsThree() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        CliRun status = CliRun.of("status", "--admin-url", "http://127.0.0.1:" + closedPort);
        assertThat(status.status()).isEqualTo(3);
        assertThat(status.err().lines()).containsExactly("pgwarden: cannot reach the admin API at http://127.0.0.1:"
                + closedPort + ": connection refused or timed out (is pgwarden running? set --admin-url or"
                + " PGWARDEN_ADMIN_URL)");
        assertThat(status.out()).isEmpty();
    }

    @Test
    void aMalformedUrlIsBadUsage() {
        CliRun status = CliRun.of("status", "--admin-url", "ftp://example");
        assertThat(status.status()).isEqualTo(2);
        assertThat(status.err()).contains("must be http://host:port or https://host:port");
    }
}
