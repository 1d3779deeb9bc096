package io.pgwarden.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminEndpointTest {

    @Test
    void defaultsToTheDefaultAdminListener() {
        AdminEndpoint endpoint = AdminEndpoint.resolve(null, null, null, Map.of());
        assertThat(endpoint.url()).hasToString("http://127.0.0.1:6480");
        assertThat(endpoint.token()).isEmpty();
    }

    @Test
    void theEnvironmentComesBeforeTheDefaultAndFlagsBeforeTheEnvironment() {
        Map<String, String> environment = Map.of("PGWARDEN_ADMIN_URL", "https://admin.example:7000/",
                "PGWARDEN_ADMIN_TOKEN", "from-env");
        AdminEndpoint fromEnvironment = AdminEndpoint.resolve(null, " ", null, environment);
        assertThat(fromEnvironment.url()).hasToString("https://admin.example:7000");
        assertThat(fromEnvironment.token()).isEqualTo(Optional.of("from-env"));
        AdminEndpoint fromFlags = AdminEndpoint.resolve("http://127.0.0.1:7001", "from-flag", null, environment);
        assertThat(fromFlags.url()).hasToString("http://127.0.0.1:7001");
        assertThat(fromFlags.token()).isEqualTo(Optional.of("from-flag"));
    }

    @Test
    void refusesWhatIsNotAnHttpUrl() {
        assertThatThrownBy(() -> AdminEndpoint.resolve("127.0.0.1:6480", null, null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AdminEndpoint.resolve("http://", null, null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
