package io.pgwarden.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DefaultSettingsTest {

    private final PgwardenSettings defaults = new SettingsLoader(Map.of()).defaults();

    @Test
    void emptyFileGivesTheReferenceDefaults() {
        assertThat(Loading.parse("")).isEqualTo(defaults);
        assertThat(Loading.parse("pgwarden {}")).isEqualTo(defaults);
    }

    @Test
    void defaultListenersAreReadWriteOn6432AndReadOnlyOn6433() {
        assertThat(defaults.listeners()).containsExactly(
                new ListenerSettings("rw", "127.0.0.1", 6432, Route.PRIMARY, Balance.ROUND_ROBIN, false),
                new ListenerSettings("ro", "127.0.0.1", 6433, Route.STANDBY, Balance.ROUND_ROBIN, false));
        assertThat(defaults.backends()).isEmpty();
    }

    @Test
    void defaultHealthAndFailoverMatchTheDocumentedValues() {
        assertThat(defaults.health()).isEqualTo(
                new HealthSettings(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), 3));
        FailoverSettings failover = defaults.failover();
        assertThat(failover.mode()).isEqualTo(FailoverMode.AUTOMATIC);
        assertThat(failover.maxLagOnFailover()).isEqualTo(16L * 1024 * 1024);
        assertThat(failover.promoteTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(failover.switchoverTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(failover.autoRejoin()).isFalse();
        assertThat(failover.stateFile()).isEqualTo(Path.of("pgwarden-state.json"));
        assertThat(failover.promote()).isEqualTo(new ActionSettings(Optional.empty(), Duration.ofSeconds(30)));
        assertThat(failover.fence()).isEqualTo(new ActionSettings(Optional.empty(), Duration.ofSeconds(10)));
        assertThat(failover.follow()).isEqualTo(new ActionSettings(Optional.empty(), Duration.ofSeconds(30)));
        assertThat(failover.rejoin()).isEqualTo(new ActionSettings(Optional.empty(), Duration.ofMinutes(5)));
        assertThat(failover.onStateChange()).isEqualTo(new ActionSettings(Optional.empty(), Duration.ofSeconds(10)));
    }

    @Test
    void defaultMonitorAdminLimitsTlsAndLogging() {
        assertThat(defaults.monitor()).isEqualTo(
                new MonitorSettings("postgres", Optional.empty(), "postgres", "pgwarden-monitor"));
        assertThat(defaults.admin()).isEqualTo(new AdminSettings(true, "127.0.0.1", 6480, Optional.empty(), false,
                new AdminTlsSettings(false, Optional.empty(), Optional.empty())));
        assertThat(defaults.limits()).isEqualTo(new LimitSettings(1000, Duration.ofSeconds(15),
                Duration.ofSeconds(30), 1024 * 1024 * 1024, Optional.empty(), Duration.ofSeconds(5)));
        assertThat(defaults.tls()).isEqualTo(new TlsSettings(
                new ClientTlsSettings(ClientTlsMode.DISABLE, Optional.empty(), Optional.empty()),
                new BackendTlsSettings(BackendTlsMode.PREFER, Optional.empty())));
        assertThat(defaults.logging()).isEqualTo(new LoggingSettings(LogFormat.TEXT, LogLevel.INFO));
    }

    @Test
    void defaultsAreNotRunnableWithoutBackends() {
        InvalidConfigException rejected = catchThrowableOfType(InvalidConfigException.class, defaults::requireRunnable);
        assertThat(rejected.problems()).extracting(ConfigProblem::describe)
                .containsExactly("pgwarden.backends = []: at least one backend is needed to run");
    }

    @Test
    void noListenersIsNotRunnableEither() {
        PgwardenSettings settings = Loading.parse("pgwarden.listeners = []");
        InvalidConfigException rejected = catchThrowableOfType(InvalidConfigException.class, settings::requireRunnable);
        assertThat(rejected.problems()).extracting(ConfigProblem::describe).containsExactly(
                "pgwarden.listeners = []: at least one listener is needed to run",
                "pgwarden.backends = []: at least one backend is needed to run");
    }

    @Test
    void oneBackendMakesTheDefaultsRunnable() {
        PgwardenSettings settings = Loading.parse("pgwarden.backends = [ { name = pg1, host = localhost } ]");
        assertThat(settings.requireRunnable()).isSameAs(settings);
    }
}
