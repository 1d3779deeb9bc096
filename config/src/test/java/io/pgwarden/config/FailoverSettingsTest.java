package io.pgwarden.config;

import static io.pgwarden.config.Loading.linesOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailoverSettingsTest {

    @Test
    void everyFailoverKeyIsRead() {
        FailoverSettings failover = Loading.parse("""
                pgwarden.failover {
                  mode = external
                  max-lag-on-failover = 1MB
                  promote-timeout = 5s
                  switchover-timeout = 1m
                  auto-rejoin = on
                  state-file = /var/lib/pgwarden/state.json
                  promote { command = "ssh db pg_ctl promote", timeout = 20s }
                  fence.command = "/etc/pgwarden/fence.sh"
                  on-state-change.timeout = 2s
                }
                """).failover();
        assertThat(failover.mode()).isEqualTo(FailoverMode.EXTERNAL);
        assertThat(failover.maxLagOnFailover()).isEqualTo(1_000_000L);
        assertThat(failover.promoteTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(failover.switchoverTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(failover.autoRejoin()).isTrue();
        assertThat(failover.stateFile()).isEqualTo(Path.of("/var/lib/pgwarden/state.json"));
        assertThat(failover.promote())
                .isEqualTo(new ActionSettings(Optional.of("ssh db pg_ctl promote"), Duration.ofSeconds(20)));
        assertThat(failover.fence())
                .isEqualTo(new ActionSettings(Optional.of("/etc/pgwarden/fence.sh"), Duration.ofSeconds(10)));
        assertThat(failover.onStateChange()).isEqualTo(new ActionSettings(Optional.empty(), Duration.ofSeconds(2)));
    }

    @Test
    void unknownModeListsTheAllowedOnes() {
        assertThat(linesOf("pgwarden.failover.mode = auto"))
                .containsExactly("pgwarden.failover.mode = \"auto\": must be one of automatic, manual, external");
    }

    @Test
    void maxLagIsASize() {
        assertThat(Loading.parse("pgwarden.failover.max-lag-on-failover = 4096").failover().maxLagOnFailover())
                .isEqualTo(4096L);
        assertThat(linesOf("pgwarden.failover.max-lag-on-failover = lots"))
                .containsExactly("pgwarden.failover.max-lag-on-failover = \"lots\": not a size (e.g. 16MiB)");
        assertThat(linesOf("pgwarden.failover.max-lag-on-failover = -1"))
                .containsExactly("pgwarden.failover.max-lag-on-failover = -1: must be at least 0 bytes");
    }

    @Test
    void stateFileIsRequired() {
        assertThat(linesOf("pgwarden.failover.state-file = \"\""))
                .containsExactly("pgwarden.failover.state-file = \"\": must not be empty");
        assertThat(linesOf("pgwarden.failover.state-file = null"))
                .containsExactly("pgwarden.failover.state-file: required but not set");
    }

    @Test
    void autoRejoinMustBeABoolean() {
        assertThat(linesOf("pgwarden.failover.auto-rejoin = sometimes"))
                .containsExactly("pgwarden.failover.auto-rejoin = \"sometimes\": not a boolean (true or false)");
    }

    @Test
    void actionTimeoutMustBePositiveAndCommandAString() {
        assertThat(linesOf("pgwarden.failover { follow.timeout = 0s, rejoin.command = [pg_rewind] }")).containsExactly(
                "pgwarden.failover.follow.timeout = \"0s\": must be greater than 0",
                "pgwarden.failover.rejoin.command = [\"pg_rewind\"]: not a string");
    }

    @Test
    void actionWrittenAsAStringInsteadOfAnObjectIsReported() {
        assertThat(linesOf("pgwarden.failover.promote = \"/usr/local/bin/promote\""))
                .containsExactly("pgwarden.failover.promote = \"/usr/local/bin/promote\": not an object (a { ... } block)");
    }

    @Test
    void unknownKeyInsideAnActionIsReported() {
        assertThat(linesOf("pgwarden.failover.fence.comand = \"x\""))
                .containsExactly("pgwarden.failover.fence.comand: unknown key; did you mean pgwarden.failover.fence.command?");
    }
}
