package io.pgwarden.health.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgwarden.config.ActionSettings;
import io.pgwarden.config.BackendSettings;
import io.pgwarden.config.BackendTlsMode;
import io.pgwarden.config.BackendTlsSettings;
import io.pgwarden.config.FailoverMode;
import io.pgwarden.config.FailoverSettings;
import io.pgwarden.config.MonitorSettings;
import io.pgwarden.health.probe.MonitorConnector;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ActionSetTest {

    private final MonitorConnector connector = new MonitorConnector(
            new MonitorSettings("pgwarden", Optional.empty(), "postgres", "pgwarden"),
            new BackendTlsSettings(BackendTlsMode.DISABLE, Optional.empty()), Duration.ofSeconds(1));

    @AfterEach
    void close() {
        connector.close();
    }

    private static ActionSettings command(String command) {
        return new ActionSettings(Optional.of(command), Duration.ofSeconds(3));
    }

    private static FailoverSettings failover(ActionSettings promote, ActionSettings fence) {
        ActionSettings none = new ActionSettings(Optional.empty(), Duration.ofSeconds(7));
        return new FailoverSettings(FailoverMode.AUTOMATIC, 1024, Duration.ofSeconds(5), Duration.ofSeconds(5), false,
                Path.of("state.json"), promote, fence, none, none, none);
    }

    @Test
    void withoutCommandsPromoteAndFollowAreBuiltInAndTheOthersDoNothing() {
        ActionSet actions = ActionSet.fromSettings(failover(new ActionSettings(Optional.empty(), Duration.ofSeconds(3)),
                new ActionSettings(Optional.of("  "), Duration.ofSeconds(3))), connector);

        assertThat(actions.get(ActionKind.PROMOTE).description()).isEqualTo("built-in pg_promote()");
        assertThat(actions.get(ActionKind.FOLLOW).description()).startsWith("built-in follow");
        assertThat(actions.configured(ActionKind.FENCE)).isFalse();
        assertThat(actions.configured(ActionKind.REJOIN)).isFalse();
        assertThat(actions.configured(ActionKind.ON_STATE_CHANGE)).isFalse();
        assertThat(actions.get(ActionKind.REJOIN).run(request()).status()).isEqualTo(ActionStatus.NOT_RUN);
    }

    @Test
    void aCommandRunsThroughTheShell() {
        ActionSet actions = ActionSet.fromSettings(failover(command("echo promoted $PGWARDEN_NODE_NAME"),
                command("true")), connector);

        ActionResult result = actions.get(ActionKind.PROMOTE).run(request());
        assertThat(actions.get(ActionKind.PROMOTE)).isInstanceOf(ShellCommandAction.class);
        assertThat(result.output()).isEqualTo("promoted pg2");
        assertThat(actions.configured(ActionKind.FENCE)).isTrue();
    }

    @Test
    void javaColonNameSelectsAProviderFoundByServiceLoader() {
        ActionSet actions = ActionSet.fromSettings(failover(command("java:test-recorder"), command("true")), connector);

        FailoverAction promote = actions.get(ActionKind.PROMOTE);
        assertThat(promote.description()).isEqualTo("java:test-recorder promote within 3000 ms");
        assertThat(promote.run(request()).output()).isEqualTo("would promote pg2");
    }

    @Test
    void anUnknownProviderNameIsAConfigurationErrorNamingTheKey() {
        assertThatThrownBy(() -> ActionSet.fromSettings(failover(command("java:nobody"), command("true")), connector))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pgwarden.failover.promote.command")
                .hasMessageContaining("nobody");
    }

    private static ActionRequest request() {
        BackendSettings pg2 = new BackendSettings("pg2", "127.0.0.1", 5433, 1);
        return new ActionRequest(ActionKind.PROMOTE, "failover", "primary-down", 2, Instant.EPOCH, Optional.of(pg2),
                Optional.empty(), Optional.of(pg2), Duration.ofSeconds(3), Map.of());
    }
}
