package io.pgwarden.config;

import static io.pgwarden.config.Loading.linesOf;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UnknownKeyTest {

    @Test
    void misspeltSectionSuggestsTheKnownOne() {
        assertThat(linesOf("pgwarden.helth.interval = 100ms"))
                .containsExactly("pgwarden.helth: unknown key; did you mean pgwarden.health?");
    }

    @Test
    void otherSpellingsOfAKnownKeyAreRecognised() {
        assertThat(linesOf("pgwarden.health { failures_before_down = 2, connectTimeout = 1s }")).containsExactly(
                "pgwarden.health.connectTimeout: unknown key; did you mean pgwarden.health.connect-timeout?",
                "pgwarden.health.failures_before_down: unknown key; did you mean pgwarden.health.failures-before-down?");
    }

    @Test
    void keyFarFromAnyKnownOneGetsNoSuggestion() {
        assertThat(linesOf("pgwarden.cluster-name = prod"))
                .containsExactly("pgwarden.cluster-name: unknown key");
    }

    @Test
    void unknownKeyValueIsNeverShownBecauseItMayBeAMisspeltSecret() {
        assertThat(linesOf("pgwarden.monitor.pasword = hunter2"))
                .containsExactly("pgwarden.monitor.pasword: unknown key; did you mean pgwarden.monitor.password?");
    }

    @Test
    void keyNeedingQuotesIsShownQuoted() {
        assertThat(linesOf("pgwarden { \"max connections\" = 5 }"))
                .containsExactly("pgwarden.\"max connections\": unknown key");
    }

    @Test
    void misspeltRootIsReportedInsteadOfIgnored() {
        assertThat(linesOf("pgwardn.failover.mode = manual"))
                .containsExactly("pgwardn: unknown key; did you mean pgwarden?");
    }

    @Test
    void otherTopLevelKeysServeAsSubstitutionHelpers() {
        PgwardenSettings settings = Loading.parse("""
                site { db-host = "10.0.0.5" }
                pgwarden.backends = [ { name = pg1, host = ${site.db-host} } ]
                """);
        assertThat(settings.backends().get(0).host()).isEqualTo("10.0.0.5");
    }
}
