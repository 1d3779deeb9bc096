package io.pgwarden.config;

import static io.pgwarden.config.Loading.linesOf;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ListenerSettingsTest {

    @Test
    void standbyListenerReadsBalanceAndFallback() {
        PgwardenSettings settings = Loading.parse("""
                pgwarden.listeners = [
                  { name = reads, host = "0.0.0.0", port = 7000, route = standby,
                    balance = least-connections, fallback-to-primary = true }
                ]
                """);
        assertThat(settings.listeners()).containsExactly(
                new ListenerSettings("reads", "0.0.0.0", 7000, Route.STANDBY, Balance.LEAST_CONNECTIONS, true));
    }

    @Test
    void elementDefaultsApplyToHostBalanceAndFallback() {
        PgwardenSettings settings = Loading.parse("""
                pgwarden.listeners = [ { name = ro, port = 7001, route = standby } ]
                """);
        assertThat(settings.listeners()).containsExactly(
                new ListenerSettings("ro", "127.0.0.1", 7001, Route.STANDBY, Balance.ROUND_ROBIN, false));
    }

    @Test
    void appendingToTheDefaultListKeepsTheDefaults() {
        PgwardenSettings settings = Loading.parse("""
                pgwarden.listeners += { name = ro2, port = 7002, route = standby }
                """);
        assertThat(settings.listeners()).extracting(ListenerSettings::name).containsExactly("rw", "ro", "ro2");
    }

    @Test
    void missingNamePortAndRouteAreEachReported() {
        assertThat(linesOf("pgwarden.listeners = [ { host = 127.0.0.1 } ]")).containsExactly(
                "pgwarden.listeners[0].name: required but not set",
                "pgwarden.listeners[0].port: required but not set",
                "pgwarden.listeners[0].route: required but not set");
    }

    @Test
    void portOutOfRangeIsNotAPort() {
        assertThat(linesOf("pgwarden.listeners = [ { name = rw, port = 0, route = primary } ]"))
                .containsExactly("pgwarden.listeners[0].port = 0: not a port (1-65535)");
        assertThat(linesOf("pgwarden.listeners = [ { name = rw, port = \"http\", route = primary } ]"))
                .containsExactly("pgwarden.listeners[0].port = \"http\": not a port (1-65535)");
        assertThat(linesOf("pgwarden.listeners = [ { name = rw, port = 6432.5, route = primary } ]"))
                .containsExactly("pgwarden.listeners[0].port = 6432.5: not a port (1-65535)");
    }

    @Test
    void unknownRouteAndBalanceListTheAllowedValues() {
        assertThat(linesOf("""
                pgwarden.listeners = [ { name = x, port = 7000, route = replica, balance = random } ]
                """)).containsExactly(
                "pgwarden.listeners[0].route = \"replica\": must be one of primary, standby",
                "pgwarden.listeners[0].balance = \"random\": must be one of round-robin, least-connections");
    }

    @Test
    void choicesIgnoreCase() {
        PgwardenSettings settings = Loading.parse("""
                pgwarden.listeners = [ { name = x, port = 7000, route = STANDBY, balance = Least-Connections } ]
                """);
        assertThat(settings.listeners().get(0).route()).isEqualTo(Route.STANDBY);
        assertThat(settings.listeners().get(0).balance()).isEqualTo(Balance.LEAST_CONNECTIONS);
    }

    @Test
    void balanceAndFallbackOnAPrimaryListenerAreRejected() {
        assertThat(linesOf("""
                pgwarden.listeners = [
                  { name = rw, port = 7000, route = primary, balance = round-robin, fallback-to-primary = true }
                ]
                """)).containsExactly(
                "pgwarden.listeners[0].balance = \"round-robin\": only applies to route = standby",
                "pgwarden.listeners[0].fallback-to-primary = true: only applies to route = standby");
    }

    @Test
    void fallbackMustBeABoolean() {
        assertThat(linesOf("""
                pgwarden.listeners = [ { name = ro, port = 7000, route = standby, fallback-to-primary = maybe } ]
                """)).containsExactly(
                "pgwarden.listeners[0].fallback-to-primary = \"maybe\": not a boolean (true or false)");
    }

    @Test
    void duplicateNamesAreReportedAtTheSecondOccurrence() {
        assertThat(linesOf("""
                pgwarden.listeners = [
                  { name = rw, port = 7000, route = primary }
                  { name = rw, port = 7001, route = standby }
                ]
                """)).containsExactly("pgwarden.listeners[1].name = \"rw\": duplicate name, also used by pgwarden.listeners[0]");
    }

    @Test
    void samePortOnTheSameHostIsReported() {
        assertThat(linesOf("""
                pgwarden.listeners = [
                  { name = rw, port = 7000, route = primary }
                  { name = ro, port = 7000, route = standby }
                ]
                """)).containsExactly("pgwarden.listeners[1].port = 7000: already used by pgwarden.listeners[0] (127.0.0.1)");
    }

    @Test
    void aWildcardHostCollidesWithEveryHostOnThePort() {
        assertThat(linesOf("""
                pgwarden.listeners = [
                  { name = rw, host = "0.0.0.0", port = 7000, route = primary }
                  { name = ro, host = "10.1.2.3", port = 7000, route = standby }
                ]
                """)).containsExactly("pgwarden.listeners[1].port = 7000: already used by pgwarden.listeners[0] (0.0.0.0)");
    }

    @Test
    void samePortOnDifferentHostsIsAllowed() {
        PgwardenSettings settings = Loading.parse("""
                pgwarden.listeners = [
                  { name = rw, host = "127.0.0.1", port = 7000, route = primary }
                  { name = ro, host = "127.0.0.2", port = 7000, route = standby }
                ]
                """);
        assertThat(settings.listeners()).hasSize(2);
    }

    @Test
    void namesAndHostsAreCheckedForSafeCharacters() {
        assertThat(linesOf("""
                pgwarden.listeners = [ { name = "read write", host = "my host", port = 7000, route = primary } ]
                """)).containsExactly(
                "pgwarden.listeners[0].name = \"read write\": not a valid name (1-63 letters, digits, '.', '_' or '-', starting with a letter or digit)",
                "pgwarden.listeners[0].host = \"my host\": not a host name or IP address");
    }

    @Test
    void emptyStringsAreNotNames() {
        assertThat(linesOf("pgwarden.listeners = [ { name = \"\", port = 7000, route = primary } ]"))
                .containsExactly("pgwarden.listeners[0].name = \"\": must not be empty");
    }

    @Test
    void elementsMustBeObjectsAndTheListMustBeAList() {
        assertThat(linesOf("pgwarden.listeners = [ rw ]"))
                .containsExactly("pgwarden.listeners[0] = \"rw\": not an object (a { ... } block)");
        assertThat(linesOf("pgwarden.listeners = 6432"))
                .containsExactly("pgwarden.listeners = 6432: not a list (a [ ... ] of objects)");
    }

    @Test
    void unknownKeyInsideAnElementIsReportedWithItsIndex() {
        assertThat(linesOf("""
                pgwarden.listeners = [
                  { name = rw, port = 7000, route = primary }
                  { name = ro, port = 7001, route = standby, ballance = round-robin }
                ]
                """)).containsExactly(
                "pgwarden.listeners[1].ballance: unknown key; did you mean pgwarden.listeners[1].balance?");
    }
}
