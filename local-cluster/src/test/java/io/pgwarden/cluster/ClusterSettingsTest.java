package io.pgwarden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {

    @Test
    void defaultsAreAPrimaryWithTwoStandbysScramAndFastSettings() {
        ClusterSettings settings = ClusterSettings.defaults();

        assertThat(settings.standbys()).isEqualTo(2);
        assertThat(settings.authMethod()).isEqualTo(AuthMethod.SCRAM_SHA_256);
        assertThat(settings.superuser()).isEqualTo("postgres");
        assertThat(settings.durable()).isFalse();
        assertThat(settings.binaries()).isEqualTo(ClusterSettings.BinarySelection.discover());
        assertThat(settings.serverUserWhenRoot()).isEqualTo("postgres");
        assertThat(settings.baseDir()).isEqualTo(ClusterSettings.defaultBaseDir().toAbsolutePath());
    }

    @Test
    void settingsTheLauncherManagesCannotBeOverridden() {
        assertThatThrownBy(() -> ClusterSettings.builder().setting("Port", "5432").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Port'");
    }

    @Test
    void invalidValuesAreRejectedWithTheirName() {
        assertThatThrownBy(() -> ClusterSettings.builder().standbys(-1).build())
                .hasMessageContaining("standbys");
        assertThatThrownBy(() -> ClusterSettings.builder().superuser("postgres", "").build())
                .hasMessageContaining("password");
        assertThatThrownBy(() -> ClusterSettings.builder().operationTimeout(Duration.ZERO).build())
                .hasMessageContaining("operationTimeout");
    }

    @Test
    void toStringDoesNotShowThePassword() {
        assertThat(ClusterSettings.builder().superuser("admin", "hunter2").build().toString())
                .contains("admin")
                .doesNotContain("hunter2");
    }

    @Test
    void extraSettingsKeepTheirOrderAndCannotBeChangedAfterwards() {
        ClusterSettings settings = ClusterSettings.builder().setting("b", "1").setting("a", "2").build();

        assertThat(settings.settings().keySet()).containsExactly("b", "a");
        assertThatThrownBy(() -> settings.settings().put("c", "3")).isInstanceOf(UnsupportedOperationException.class);
    }
}
