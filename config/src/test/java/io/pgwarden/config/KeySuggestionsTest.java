package io.pgwarden.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeySuggestionsTest {

    private static final List<String> HEALTH = List.of("interval", "timeout", "connect-timeout", "failures-before-down");

    @Test
    void typosTranspositionsAndOtherCasesAreMatched() {
        assertThat(KeySuggestions.closest("intervall", HEALTH)).contains("interval");
        assertThat(KeySuggestions.closest("tiemout", HEALTH)).contains("timeout");
        assertThat(KeySuggestions.closest("FAILURES_BEFORE_DOWN", HEALTH)).contains("failures-before-down");
        assertThat(KeySuggestions.closest("connectTimeout", HEALTH)).contains("connect-timeout");
    }

    @Test
    void shortKeysTolerateOnlyOneSlip() {
        assertThat(KeySuggestions.closest("hots", List.of("host", "port"))).contains("host");
        assertThat(KeySuggestions.closest("user", List.of("host", "port"))).isEmpty();
    }

    @Test
    void unrelatedKeysGetNoSuggestion() {
        assertThat(KeySuggestions.closest("retries", HEALTH)).isEmpty();
        assertThat(KeySuggestions.closest("anything", List.of())).isEmpty();
    }

    @Test
    void editDistanceCountsAdjacentSwapsAsOne() {
        assertThat(KeySuggestions.editDistance("abc", "abc")).isZero();
        assertThat(KeySuggestions.editDistance("abc", "acb")).isEqualTo(1);
        assertThat(KeySuggestions.editDistance("kitten", "sitting")).isEqualTo(3);
        assertThat(KeySuggestions.editDistance("", "abc")).isEqualTo(3);
    }
}
