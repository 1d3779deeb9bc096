package io.pgwarden.health.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConninfoTest {

    @Test
    void parsesPlainAndQuotedValuesWithEscapes() {
        Conninfo conninfo = Conninfo.parse(
                "user=replicator password='its \\'secret\\' \\\\x' host = 10.0.0.1 port=5432  sslmode=prefer");
        assertThat(conninfo.values())
                .containsEntry("user", "replicator")
                .containsEntry("host", "10.0.0.1")
                .containsEntry("port", "5432")
                .containsEntry("sslmode", "prefer");
        assertThat(conninfo.values().get("password")).isEqualTo("its 'secret' \\x");
    }

    @Test
    void formatsSoThatParsingGivesTheSameValuesBack() {
        Conninfo original = Conninfo.empty().with("user", "rep user").with("password", "a'b\\c").with("port", "5433");
        assertThat(Conninfo.parse(original.format()).values()).isEqualTo(original.values());
    }

    @Test
    void replacingHostAndPortKeepsTheOtherKeywords() {
        Conninfo moved = Conninfo.parse("host=old hostaddr=10.0.0.9 port=5432 user=rep application_name=pg2")
                .without("hostaddr").with("host", "new").with("port", "6543");
        assertThat(moved.values()).containsExactly(
                Map.entry("host", "new"), Map.entry("port", "6543"),
                Map.entry("user", "rep"), Map.entry("application_name", "pg2"));
    }

    @Test
    void redactsThePassword() {
        assertThat(Conninfo.parse("user=rep password=hunter2").formatRedacted()).doesNotContain("hunter2");
    }

    @Test
    void rejectsMalformedStringsAndUris() {
        assertThatThrownBy(() -> Conninfo.parse("host")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Conninfo.parse("password='open")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Conninfo.parse("postgresql://host/db")).isInstanceOf(IllegalArgumentException.class);
    }
}
