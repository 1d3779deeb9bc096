package io.pgwarden.config;

import static io.pgwarden.config.Loading.linesOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthSettingsTest {

    @Test
    void durationsTakeAnyTypesafeUnit() {
        HealthSettings health = Loading.parse("""
                pgwarden.health { interval = 100 ms, timeout = 2s, connect-timeout = 1500 milliseconds, failures-before-down = 5 }
                """).health();
        assertThat(health).isEqualTo(
                new HealthSettings(Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofMillis(1500), 5));
    }

    @Test
    void wordIsNotADuration() {
        assertThat(linesOf("pgwarden.health.interval = fast"))
                .containsExactly("pgwarden.health.interval = \"fast\": not a duration (e.g. 250ms)");
    }

    @Test
    void bareNumberNeedsAUnit() {
        assertThat(linesOf("pgwarden.health.interval = 250"))
                .containsExactly("pgwarden.health.interval = 250: not a duration: a unit is needed (e.g. 250ms, 30s)");
        assertThat(linesOf("pgwarden.health.timeout = \"500\""))
                .containsExactly("pgwarden.health.timeout = \"500\": not a duration: a unit is needed (e.g. 250ms, 30s)");
    }

    @Test
    void intervalAndTimeoutMustBePositive() {
        assertThat(linesOf("pgwarden.health { interval = 0ms, timeout = -1s, connect-timeout = 0s }")).containsExactly(
                "pgwarden.health.interval = \"0ms\": must be greater than 0",
                "pgwarden.health.timeout = \"-1s\": must be greater than 0",
                "pgwarden.health.connect-timeout = \"0s\": must be greater than 0");
    }

    @Test
    void failuresBeforeDownIsAtLeastOne() {
        assertThat(linesOf("pgwarden.health.failures-before-down = 0"))
                .containsExactly("pgwarden.health.failures-before-down = 0: must be at least 1");
    }

    @Test
    void objectInPlaceOfADurationIsReported() {
        assertThat(linesOf("pgwarden.health.interval { ms = 5 }"))
                .containsExactly("pgwarden.health.interval = {\"ms\":5}: not a duration (e.g. 250ms)");
    }

    @Test
    void sectionReplacedByAScalarIsReportedOnceNotPerKey() {
        assertThat(linesOf("pgwarden.health = 250ms"))
                .containsExactly("pgwarden.health = \"250ms\": not an object (a { ... } block)");
    }
}
