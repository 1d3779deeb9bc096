package io.pgwarden.server.reload;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgwarden.config.FailoverMode;
import io.pgwarden.config.LogFormat;
import io.pgwarden.config.LogLevel;
import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.config.SettingsLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which changes of a reloaded file apply live and which wait for a restart, and how each is reported. */
class ReloadPlanTest {

    private static final String BASE = """
            pgwarden {
              listeners = [
                { name = "rw", host = "127.0.0.1", port = 6432, route = "primary" }
                { name = "ro", host = "127.0.0.1", port = 6433, route = "standby" }
              ]
              backends = [
                { name = "pg1", host = "127.0.0.1", port = 5432 }
                { name = "pg2", host = "127.0.0.1", port = 5433 }
                { name = "pg3", host = "127.0.0.1", port = 5434, priority = 50 }
              ]
              monitor { user = "pgwarden", password = "monitor-secret" }
              failover.state-file = "/var/lib/pgwarden/state.json"
              admin.token = "first-token"
            }
            """;

    private static PgwardenSettings settings(String... overrides) {
        return new SettingsLoader(Map.of()).parse(BASE + String.join("\n", overrides));
    }

    @Test
    void anUnchangedFilePlansNothing() {
        ReloadPlan plan = ReloadPlan.between(settings(), settings());

        assertThat(plan.empty()).isTrue();
        assertThat(plan.applied()).isEmpty();
        assertThat(plan.restartRequired()).isEmpty();
        assertThat(plan.backendsNamedAnew()).isEmpty();
        assertThat(plan.inEffect()).isEqualTo(settings());
    }

    @Test
    void backendsAddedRemovedMovedAndReprioritizedApplyLiveWithTheirKeyPaths() {
        PgwardenSettings next = settings("""
                pgwarden.backends = [
                  { name = "pg1", host = "127.0.0.1", port = 5432, priority = 10 }
                  { name = "pg3", host = "10.0.0.3", port = 6434, priority = 50 }
                  { name = "pg4", host = "127.0.0.1", port = 5435 }
                ]
                """);

        ReloadPlan plan = ReloadPlan.between(settings(), next);

        assertThat(plan.applied()).containsExactly(
                "pgwarden.backends: removed pg2 (127.0.0.1:5433): its sessions were ended, it is no longer probed"
                        + " or routed",
                "pgwarden.backends[0].priority: 100 -> 10 (pg1)",
                "pgwarden.backends[1].host: 127.0.0.1 -> 10.0.0.3 (pg3): its sessions were ended, it is probed at"
                        + " the new address",
                "pgwarden.backends[1].port: 5434 -> 6434 (pg3): its sessions were ended, it is probed at the new"
                        + " address",
                "pgwarden.backends[2]: added pg4 (127.0.0.1:5435, priority 100): probed from now on, routed once it"
                        + " answers");
        assertThat(plan.restartRequired()).isEmpty();
        assertThat(plan.backendsNamedAnew()).containsExactlyInAnyOrder("pg2", "pg3", "pg4");
        assertThat(plan.inEffect().backends()).isEqualTo(next.backends());
    }

    @Test
    void reorderedBackendsAreReported() {
        PgwardenSettings next = settings("""
                pgwarden.backends = [
                  { name = "pg2", host = "127.0.0.1", port = 5433 }
                  { name = "pg1", host = "127.0.0.1", port = 5432 }
                  { name = "pg3", host = "127.0.0.1", port = 5434, priority = 50 }
                ]
                """);

        assertThat(ReloadPlan.between(settings(), next).applied())
                .containsExactly("pgwarden.backends: order [pg1, pg2, pg3] -> [pg2, pg1, pg3]");
    }

    @Test
    void healthAndFailoverSettingsApplyLiveExceptTheStateFile() {
        PgwardenSettings next = settings("""
                pgwarden.health { interval = 100ms, timeout = 2s, connect-timeout = 3s, failures-before-down = 5 }
                pgwarden.failover {
                  mode = "manual"
                  max-lag-on-failover = 64MiB
                  promote-timeout = 1m
                  auto-rejoin = true
                  state-file = "/elsewhere/state.json"
                  fence.timeout = 20s
                }
                """);

        ReloadPlan plan = ReloadPlan.between(settings(), next);

        assertThat(plan.applied()).containsExactly(
                "pgwarden.health.interval: 250ms -> 100ms",
                "pgwarden.health.timeout: 500ms -> 2s",
                "pgwarden.health.connect-timeout: 1s -> 3s",
                "pgwarden.health.failures-before-down: 3 -> 5",
                "pgwarden.failover.mode: automatic -> manual",
                "pgwarden.failover.max-lag-on-failover: 16MiB -> 64MiB",
                "pgwarden.failover.promote-timeout: 30s -> 1m",
                "pgwarden.failover.auto-rejoin: false -> true",
                "pgwarden.failover.fence.timeout: 10s -> 20s");
        assertThat(plan.restartRequired()).containsExactly(
                "pgwarden.failover.state-file: /var/lib/pgwarden/state.json -> /elsewhere/state.json (needs a restart)");
        assertThat(plan.inEffect().health()).isEqualTo(next.health());
        assertThat(plan.inEffect().failover().mode()).isEqualTo(FailoverMode.MANUAL);
        assertThat(plan.inEffect().failover().stateFile()).isEqualTo(Path.of("/var/lib/pgwarden/state.json"));
    }

    @Test
    void anActionCommandIsReportedChangedWithoutItsText() {
        PgwardenSettings next = settings("pgwarden.failover.promote.command = \"promote.sh --password=hunter2\"");

        ReloadPlan plan = ReloadPlan.between(settings(), next);

        assertThat(plan.applied()).containsExactly("pgwarden.failover.promote.command: set");
        assertThat(String.join("\n", plan.applied())).doesNotContain("hunter2");
        assertThat(plan.inEffect().failover().promote().command()).contains("promote.sh --password=hunter2");
    }

    @Test
    void limitsApplyToNewSessions() {
        PgwardenSettings next = settings("""
                pgwarden.limits {
                  max-client-connections = 50
                  startup-timeout = 5s
                  hold-timeout = 0s
                  max-message-size = 64KiB
                  client-idle-timeout = 10m
                  backend-connect-timeout = 2s
                }
                """);

        ReloadPlan plan = ReloadPlan.between(settings(), next);

        assertThat(plan.applied()).containsExactly(
                "pgwarden.limits.max-client-connections: 1000 -> 50 (for new sessions)",
                "pgwarden.limits.startup-timeout: 15s -> 5s (for new sessions)",
                "pgwarden.limits.hold-timeout: 30s -> 0s (for new sessions)",
                "pgwarden.limits.max-message-size: 1GiB -> 64KiB (for new sessions)",
                "pgwarden.limits.client-idle-timeout: 0s -> 10m (for new sessions)",
                "pgwarden.limits.backend-connect-timeout: 5s -> 2s (for new sessions)");
        assertThat(plan.inEffect().limits()).isEqualTo(next.limits());
        assertThat(plan.inEffect().limits().clientIdleTimeout()).contains(Duration.ofMinutes(10));
    }

    @Test
    void listenersAdminTlsMonitorAndLogFormatNeedARestartAndStayAsTheyRun() {
        PgwardenSettings running = settings();
        PgwardenSettings next = settings("""
                pgwarden.listeners = [
                  { name = "rw", host = "127.0.0.1", port = 7432, route = "primary" }
                  { name = "ro2", host = "127.0.0.1", port = 7434, route = "standby" }
                ]
                pgwarden.admin { port = 7480, token = "second-token" }
                pgwarden.monitor { user = "watcher", password = "other-secret" }
                pgwarden.tls.backend.mode = "require"
                pgwarden.logging { format = "json", level = "debug" }
                """);

        ReloadPlan plan = ReloadPlan.between(running, next);

        assertThat(plan.applied()).containsExactly("pgwarden.logging.level: info -> debug");
        assertThat(plan.restartRequired()).containsExactly(
                "pgwarden.listeners: removed ro (127.0.0.1:6433) (needs a restart)",
                "pgwarden.listeners[0].port: 6432 -> 7432 (needs a restart)",
                "pgwarden.listeners[1]: added ro2 (127.0.0.1:7434, route standby) (needs a restart)",
                "pgwarden.admin.port: 6480 -> 7480 (needs a restart)",
                "pgwarden.admin.token: changed (needs a restart)",
                "pgwarden.monitor.user: pgwarden -> watcher (needs a restart)",
                "pgwarden.monitor.password: changed (needs a restart)",
                "pgwarden.tls.backend.mode: prefer -> require (needs a restart)",
                "pgwarden.logging.format: text -> json (needs a restart)");
        String everything = String.join("\n", plan.restartRequired());
        assertThat(everything).doesNotContain("second-token").doesNotContain("other-secret");

        PgwardenSettings inEffect = plan.inEffect();
        assertThat(inEffect.listeners()).isEqualTo(running.listeners());
        assertThat(inEffect.admin()).isEqualTo(running.admin());
        assertThat(inEffect.monitor()).isEqualTo(running.monitor());
        assertThat(inEffect.tls()).isEqualTo(running.tls());
        assertThat(inEffect.logging().format()).isEqualTo(LogFormat.TEXT);
        assertThat(inEffect.logging().level()).isEqualTo(LogLevel.DEBUG);
    }

    @Test
    void aChangeThatNeedsARestartIsReportedAgainUntilItIsMade() {
        PgwardenSettings next = settings("pgwarden.admin.port = 7480", "pgwarden.health.interval = 1s");

        ReloadPlan first = ReloadPlan.between(settings(), next);
        ReloadPlan second = ReloadPlan.between(first.inEffect(), next);

        assertThat(first.applied()).containsExactly("pgwarden.health.interval: 250ms -> 1s");
        assertThat(second.applied()).isEmpty();
        assertThat(second.restartRequired()).containsExactly("pgwarden.admin.port: 6480 -> 7480 (needs a restart)");
        assertThat(second.inEffect()).isEqualTo(first.inEffect());
    }

    @Test
    void aSecretThatIsRemovedIsReportedAsRemoved() {
        PgwardenSettings noToken = new SettingsLoader(Map.of()).parse(BASE.replace("admin.token = \"first-token\"",
                "admin.enabled = true"));

        ReloadPlan plan = ReloadPlan.between(settings(), noToken);

        assertThat(plan.restartRequired()).containsExactly("pgwarden.admin.token: removed (needs a restart)");
        assertThat(plan.inEffect().admin().token()).isPresent().isEqualTo(settings().admin().token());
    }

    @Test
    void valuesAreShownAsTheyAreWrittenInTheFile() {
        assertThat(ReloadPlan.duration(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(ReloadPlan.duration(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(ReloadPlan.duration(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(ReloadPlan.size(16L << 20)).isEqualTo("16MiB");
        assertThat(ReloadPlan.size(1000)).isEqualTo("1000 bytes");
        assertThat(ReloadPlan.show(Optional.empty())).isEqualTo("(none)");
    }
}
