package io.pgwarden.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgwarden.protocol.message.frontend.StartupMessage;
import io.pgwarden.protocol.message.frontend.StartupMessage.Parameter;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartupMessageTest {
    private final StartupMessage startup = new StartupMessage(ProtocolVersion.V3_0, List.of(
            new Parameter("user", "alice"),
            new Parameter("application_name", "first"),
            new Parameter("_pq_.compression", "on"),
            new Parameter("application_name", "second")));

    @Test
    void laterDuplicateWinsAsInPostgres() {
        assertThat(startup.parameter("application_name")).hasValue("second");
        assertThat(startup.parameterMap()).containsExactly(
                java.util.Map.entry("user", "alice"),
                java.util.Map.entry("application_name", "second"),
                java.util.Map.entry("_pq_.compression", "on"));
    }

    @Test
    void userAndDatabaseAreReadWithoutDefaults() {
        assertThat(startup.user()).hasValue("alice");
        assertThat(startup.database()).isEmpty();
    }

    @Test
    void protocolOptionsAreTheUnderscorePqParameters() {
        assertThat(startup.protocolOptions()).containsExactly(new Parameter("_pq_.compression", "on"));
    }

    @Test
    void withParameterReplacesTheFirstOccurrenceAndDropsLaterOnes() {
        StartupMessage rewritten = startup.withParameter("application_name", "via pgwarden");
        assertThat(rewritten.parameters()).containsExactly(
                new Parameter("user", "alice"),
                new Parameter("application_name", "via pgwarden"),
                new Parameter("_pq_.compression", "on"));
    }

    @Test
    void withParameterAppendsAnAbsentParameter() {
        assertThat(startup.withParameter("database", "app").parameters()).last()
                .isEqualTo(new Parameter("database", "app"));
    }

    @Test
    void withoutParameterRemovesEveryOccurrence() {
        assertThat(startup.withoutParameter("application_name").parameter("application_name")).isEmpty();
    }

    @Test
    void parameterNameMayNotBeEmptyBecauseThatEndsTheListOnTheWire() {
        assertThatThrownBy(() -> new Parameter("", "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
