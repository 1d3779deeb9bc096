package io.pgwarden.config;

import static io.pgwarden.config.Loading.linesOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class MonitorSettingsTest {

    @Test
    void monitorAccountIsRead() {
        assertThat(Loading.parse("pgwarden.monitor { user = pgwarden, password = pw, database = ops }").monitor())
                .isEqualTo(new MonitorSettings("pgwarden", Optional.of(new Secret("pw")), "ops", "pgwarden-monitor"));
    }

    @Test
    void emptyPasswordMeansNone() {
        assertThat(Loading.parse("pgwarden.monitor.password = \"\"").monitor().password()).isEmpty();
    }

    @Test
    void userAndDatabaseMustNotBeEmpty() {
        assertThat(linesOf("pgwarden.monitor { user = \"\", database = \" \" }")).containsExactly(
                "pgwarden.monitor.user = \"\": must not be empty",
                "pgwarden.monitor.database = \" \": must not be empty");
    }

    @Test
    void settingsPrintedWholeDoNotShowThePassword() {
        PgwardenSettings settings = Loading.parse("pgwarden.monitor.password = \"hunter2\"");
        assertThat(settings.toString()).doesNotContain("hunter2").contains("<redacted>");
    }
}
