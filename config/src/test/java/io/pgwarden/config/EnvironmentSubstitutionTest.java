package io.pgwarden.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentSubstitutionTest {

    @Test
    void referenceSecretsComeFromTheEnvironment() {
        PgwardenSettings settings = new SettingsLoader(Map.of(
                "PGWARDEN_MONITOR_PASSWORD", "monitor-pw",
                "PGWARDEN_ADMIN_TOKEN", "admin-token")).defaults();
        assertThat(settings.monitor().password()).contains(new Secret("monitor-pw"));
        assertThat(settings.admin().token()).contains(new Secret("admin-token"));
    }

    @Test
    void absentVariablesLeaveSecretsEmpty() {
        PgwardenSettings settings = new SettingsLoader(Map.of()).defaults();
        assertThat(settings.monitor().password()).isEmpty();
        assertThat(settings.admin().token()).isEmpty();
    }

    @Test
    void fileValueWinsOverTheReferenceSubstitution() {
        PgwardenSettings settings = new SettingsLoader(Map.of("PGWARDEN_ADMIN_TOKEN", "from-env"))
                .parse("pgwarden.admin.token = from-file");
        assertThat(settings.admin().token()).contains(new Secret("from-file"));
    }

    @Test
    void fileCanUseItsOwnVariables() {
        PgwardenSettings settings = new SettingsLoader(Map.of("DB2_HOST", "10.9.8.7", "DB2_PORT", "6000"))
                .parse("pgwarden.backends = [ { name = pg2, host = ${DB2_HOST}, port = ${DB2_PORT} } ]");
        assertThat(settings.backends()).containsExactly(new BackendSettings("pg2", "10.9.8.7", 6000, 100));
    }

    @Test
    void requiredVariableThatIsNotSetIsReportedAtItsKey() {
        InvalidConfigException rejected = catchThrowableOfType(InvalidConfigException.class,
                () -> new SettingsLoader(Map.of()).parse("pgwarden.admin.token = ${ADMIN_TOKEN_FILE_VAR}"));
        assertThat(rejected.problems()).extracting(ConfigProblem::describe).containsExactly(
                "line 1: pgwarden.admin.token = ${ADMIN_TOKEN_FILE_VAR}: unresolved substitution: no such key, and no such environment variable");
    }

    @Test
    void theProcessEnvironmentIsNotConsultedWhenAMapIsGiven() {
        String someRealVariable = System.getenv().keySet().stream()
                .filter(name -> name.matches("[A-Z_]+")).findFirst().orElseThrow();
        InvalidConfigException rejected = catchThrowableOfType(InvalidConfigException.class,
                () -> new SettingsLoader(Map.of()).parse("pgwarden.logging.level = ${" + someRealVariable + "}"));
        assertThat(rejected.problems()).extracting(ConfigProblem::key).containsExactly("pgwarden.logging.level");
    }

    @Test
    void optionalSubstitutionOfAMissingVariableKeepsTheDefault() {
        PgwardenSettings settings = new SettingsLoader(Map.of()).parse("""
                pgwarden.health.interval = ${?PGWARDEN_HEALTH_INTERVAL}
                """);
        assertThat(settings.health().interval().toMillis()).isEqualTo(250);
    }
}
