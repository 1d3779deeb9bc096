package io.pgwarden.config;

import static io.pgwarden.config.Loading.problemsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultipleProblemsTest {

    @Test
    void threeMistakesAreReportedTogetherWithLocations() {
        List<ConfigProblem> problems = problemsOf("""
                pgwarden {
                  backends = [ { name = pg1, host = localhost, port = 70000 } ]
                  health.interval = fast
                  failover.mode = auto
                }
                """);
        assertThat(problems).extracting(ConfigProblem::describe).containsExactly(
                "line 2: pgwarden.backends[0].port = 70000: not a port (1-65535)",
                "line 3: pgwarden.health.interval = \"fast\": not a duration (e.g. 250ms)",
                "line 4: pgwarden.failover.mode = \"auto\": must be one of automatic, manual, external");
    }

    @Test
    void problemCarriesKeyValueAndMessageSeparately() {
        ConfigProblem problem = problemsOf("pgwarden.health.interval = fast").get(0);
        assertThat(problem.key()).isEqualTo("pgwarden.health.interval");
        assertThat(problem.value()).contains("\"fast\"");
        assertThat(problem.message()).isEqualTo("not a duration (e.g. 250ms)");
        assertThat(problem.location()).contains("line 1");
    }

    @Test
    void singleValueAndCrossValueProblemsComeTogether() {
        assertThat(problemsOf("""
                pgwarden {
                  backends = [ { name = pg1, host = a }, { name = pg1, host = b } ]
                  limits.max-client-connections = -3
                  helth {}
                }
                """)).extracting(ConfigProblem::describe).containsExactly(
                "line 3: pgwarden.limits.max-client-connections = -3: must be at least 1",
                "line 4: pgwarden.helth: unknown key; did you mean pgwarden.health?",
                "line 2: pgwarden.backends[1].name = \"pg1\": duplicate name, also used by pgwarden.backends[0]");
    }

    @Test
    void exceptionMessageHasOneLinePerProblem() {
        InvalidConfigException rejected = new InvalidConfigException(problemsOf("""
                pgwarden.health { interval = fast, timeout = slow }
                """));
        assertThat(rejected.getMessage()).isEqualTo("""
                line 1: pgwarden.health.interval = "fast": not a duration (e.g. 250ms)
                line 1: pgwarden.health.timeout = "slow": not a duration (e.g. 250ms)""");
    }

    @Test
    void secretsNeverAppearInTheMessage() {
        InvalidConfigException rejected = org.assertj.core.api.Assertions.catchThrowableOfType(
                InvalidConfigException.class,
                () -> new SettingsLoader(Map.of("PGWARDEN_ADMIN_TOKEN", "tok-123")).parse("""
                        pgwarden.monitor.password = [ "pw-456" ]
                        pgwarden.admin.read-requires-token = true
                        pgwarden.admin.port = 6432
                        """));
        assertThat(rejected.getMessage()).doesNotContain("tok-123").doesNotContain("pw-456")
                .contains("pgwarden.monitor.password = <redacted>: not a string")
                .contains("pgwarden.admin.port = 6432: already used by pgwarden.listeners[0] (127.0.0.1)");
    }
}
