package io.pgwarden.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void toStringIsRedacted() {
        Secret secret = new Secret("hunter2");
        assertThat(secret.toString()).isEqualTo("<redacted>");
        assertThat(new MonitorSettings("u", Optional.of(secret), "d", "a").toString()).doesNotContain("hunter2");
    }

    @Test
    void matchesOnlyTheSameText() {
        Secret secret = new Secret("token-1");
        assertThat(secret.matches("token-1")).isTrue();
        assertThat(secret.matches("token-2")).isFalse();
        assertThat(secret.matches("token-1 ")).isFalse();
        assertThat(secret.matches("")).isFalse();
        assertThat(secret.matches(null)).isFalse();
    }
}
