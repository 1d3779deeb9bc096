package io.pgwarden.config;

import static io.pgwarden.config.Loading.linesOf;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackendSettingsTest {

    @Test
    void backendsKeepFileOrderAndTakeDefaultPortAndPriority() {
        PgwardenSettings settings = Loading.parse("""
                pgwarden.backends = [
                  { name = pg1, host = db1.example.com }
                  { name = pg2, host = "10.0.0.2", port = 5433, priority = 50 }
                  { name = pg3, host = "::1", port = 5434, priority = 0 }
                ]
                """);
        assertThat(settings.backends()).containsExactly(
                new BackendSettings("pg1", "db1.example.com", 5432, 100),
                new BackendSettings("pg2", "10.0.0.2", 5433, 50),
                new BackendSettings("pg3", "::1", 5434, 0));
        assertThat(settings.backend("pg2")).contains(settings.backends().get(1));
        assertThat(settings.backend("pg9")).isEmpty();
        assertThat(settings.backends().get(2).failoverCandidate()).isFalse();
        assertThat(settings.backends().get(0).failoverCandidate()).isTrue();
    }

    @Test
    void portOutOfRangeNamesTheIndexAndTheValue() {
        assertThat(linesOf("""
                pgwarden.backends = [
                  { name = pg1, host = localhost }
                  { name = pg2, host = localhost, port = 70000 }
                ]
                """)).containsExactly("pgwarden.backends[1].port = 70000: not a port (1-65535)");
    }

    @Test
    void nameAndHostAreRequired() {
        assertThat(linesOf("pgwarden.backends = [ { port = 5432 } ]")).containsExactly(
                "pgwarden.backends[0].name: required but not set",
                "pgwarden.backends[0].host: required but not set");
    }

    @Test
    void nullCountsAsNotSet() {
        assertThat(linesOf("pgwarden.backends = [ { name = pg1, host = null } ]"))
                .containsExactly("pgwarden.backends[0].host: required but not set");
    }

    @Test
    void priorityMustBeANonNegativeInteger() {
        assertThat(linesOf("pgwarden.backends = [ { name = pg1, host = h, priority = -1 } ]"))
                .containsExactly("pgwarden.backends[0].priority = -1: must be at least 0");
        assertThat(linesOf("pgwarden.backends = [ { name = pg1, host = h, priority = high } ]"))
                .containsExactly("pgwarden.backends[0].priority = \"high\": not an integer");
    }

    @Test
    void numbersWrittenAsStringsAreAccepted() {
        // Environment substitutions always yield strings.
        PgwardenSettings settings = Loading.parse("pgwarden.backends = [ { name = pg1, host = h, port = \"5440\" } ]");
        assertThat(settings.backends().get(0).port()).isEqualTo(5440);
    }

    @Test
    void duplicateNamesAreReported() {
        assertThat(linesOf("""
                pgwarden.backends = [
                  { name = pg1, host = a }
                  { name = pg2, host = b }
                  { name = pg1, host = c }
                ]
                """)).containsExactly("pgwarden.backends[2].name = \"pg1\": duplicate name, also used by pgwarden.backends[0]");
    }

    @Test
    void twoEntriesForOneServerAreReported() {
        assertThat(linesOf("""
                pgwarden.backends = [
                  { name = pg1, host = db, port = 5432 }
                  { name = pg2, host = db }
                ]
                """)).containsExactly("pgwarden.backends[1].port = 5432: same server as pgwarden.backends[0] (db:5432)");
    }

    @Test
    void unknownKeyInAnElementSuggestsTheKnownOne() {
        assertThat(linesOf("pgwarden.backends = [ { name = pg1, host = h, priorty = 5 } ]"))
                .containsExactly("pgwarden.backends[0].priorty: unknown key; did you mean pgwarden.backends[0].priority?");
    }
}
