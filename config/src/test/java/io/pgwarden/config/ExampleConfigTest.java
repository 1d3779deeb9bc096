package io.pgwarden.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The files shipped in examples/ are what check-config is demonstrated with. */
class ExampleConfigTest {

    private static final Path EXAMPLE = Path.of("../examples/pgwarden.conf");
    private static final Path BROKEN_EXAMPLE = Path.of("../examples/broken.conf");

    private final SettingsLoader loader = new SettingsLoader(Map.of());

    @Test
    void threeNodeExampleIsValidAndRunnable() {
        PgwardenSettings settings = loader.load(EXAMPLE).requireRunnable();
        assertThat(settings.backends()).containsExactly(
                new BackendSettings("pg1", "127.0.0.1", 5432, 100),
                new BackendSettings("pg2", "127.0.0.1", 5433, 100),
                new BackendSettings("pg3", "127.0.0.1", 5434, 50));
        assertThat(settings.listeners()).containsExactly(
                new ListenerSettings("rw", "127.0.0.1", 6432, Route.PRIMARY, Balance.ROUND_ROBIN, false),
                new ListenerSettings("ro", "127.0.0.1", 6433, Route.STANDBY, Balance.LEAST_CONNECTIONS, true));
        assertThat(settings.failover().fence().command()).contains("/etc/pgwarden/scripts/fence.sh");
        assertThat(settings.summary()).isEqualTo("2 listeners (rw 127.0.0.1:6432 primary, ro 127.0.0.1:6433 standby), "
                + "3 backends (pg1, pg2, pg3), failover automatic, admin 127.0.0.1:6480");
    }

    @Test
    void exampleTakesItsSecretsFromTheEnvironment() {
        PgwardenSettings settings = new SettingsLoader(
                Map.of("PGWARDEN_MONITOR_PASSWORD", "pw", "PGWARDEN_ADMIN_TOKEN", "tok")).load(EXAMPLE);
        assertThat(settings.monitor().password()).contains(new Secret("pw"));
        assertThat(settings.admin().token()).contains(new Secret("tok"));
    }

    @Test
    void brokenExampleHasExactlyThreeProblems() throws URISyntaxException {
        Path broken = Path.of(getClass().getClassLoader().getResource("broken-three-mistakes.conf").toURI());
        InvalidConfigException rejected = catchThrowableOfType(InvalidConfigException.class, () -> loader.load(broken));
        assertThat(rejected.problems()).extracting(ConfigProblem::describe).containsExactly(
                broken + ":9: pgwarden.backends[1].port = 70000: not a port (1-65535)",
                broken + ":13: pgwarden.health.intervall: unknown key; did you mean pgwarden.health.interval?",
                broken + ":17: pgwarden.failover.mode = \"auto\": must be one of automatic, manual, external");
    }

    @Test
    void brokenExampleForTheCliIsTheTestedOne() throws IOException, URISyntaxException {
        Path broken = Path.of(getClass().getClassLoader().getResource("broken-three-mistakes.conf").toURI());
        assertThat(Files.readString(BROKEN_EXAMPLE)).isEqualTo(Files.readString(broken));
        InvalidConfigException rejected = catchThrowableOfType(InvalidConfigException.class,
                () -> loader.load(BROKEN_EXAMPLE));
        assertThat(rejected.problems()).hasSize(3)
                .allSatisfy(problem -> assertThat(problem.location()).isNotEqualTo(Optional.empty()));
    }
}
