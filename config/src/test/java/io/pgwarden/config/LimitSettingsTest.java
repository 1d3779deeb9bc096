package io.pgwarden.config;

import static io.pgwarden.config.Loading.linesOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LimitSettingsTest {

    @Test
    void everyLimitIsRead() {
        LimitSettings limits = Loading.parse("""
                pgwarden.limits {
                  max-client-connections = 200, startup-timeout = 3s, hold-timeout = 0s,
                  max-message-size = 64MiB, client-idle-timeout = 10m, backend-connect-timeout = 750ms
                }
                """).limits();
        assertThat(limits).isEqualTo(new LimitSettings(200, Duration.ofSeconds(3), Duration.ZERO, 64 * 1024 * 1024,
                Optional.of(Duration.ofMinutes(10)), Duration.ofMillis(750)));
    }

    @Test
    void zeroIdleTimeoutMeansNone() {
        assertThat(Loading.parse("pgwarden.limits.client-idle-timeout = 0s").limits().clientIdleTimeout()).isEmpty();
    }

    @Test
    void limitsOutOfRangeAreReportedTogether() {
        assertThat(linesOf("""
                pgwarden.limits {
                  max-client-connections = 0, startup-timeout = 0s, hold-timeout = -5s,
                  max-message-size = 100B, client-idle-timeout = -1m, backend-connect-timeout = soon
                }
                """)).containsExactly(
                "pgwarden.limits.max-client-connections = 0: must be at least 1",
                "pgwarden.limits.startup-timeout = \"0s\": must be greater than 0",
                "pgwarden.limits.hold-timeout = \"-5s\": must not be negative",
                "pgwarden.limits.max-message-size = \"100B\": must be between 1024 and 2147483647 bytes",
                "pgwarden.limits.client-idle-timeout = \"-1m\": must not be negative",
                "pgwarden.limits.backend-connect-timeout = \"soon\": not a duration (e.g. 250ms)");
    }

    @Test
    void messageSizeBeyondTheProtocolLimitIsRejected() {
        assertThat(linesOf("pgwarden.limits.max-message-size = 2GiB"))
                .containsExactly("pgwarden.limits.max-message-size = \"2GiB\": must be between 1024 and 2147483647 bytes");
    }

    @Test
    void connectionCountBeyondIntIsRejected() {
        assertThat(linesOf("pgwarden.limits.max-client-connections = 3000000000"))
                .containsExactly("pgwarden.limits.max-client-connections = 3000000000: must be at most 2147483647");
    }
}
