package io.pgwarden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandRunnerTest {
    private final CommandRunner runner = new CommandRunner();
    private final Path workDir = Path.of(System.getProperty("java.io.tmpdir"));

    @Test
    void capturesStdoutAndStderrAndTheExitCode() {
        CommandResult result = runner.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Map.of(), workDir,
                Duration.ofSeconds(10));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.output()).contains("out").contains("err");
        assertThat(result.describe()).startsWith("`sh -c 'echo out; echo err >&2; exit 3'` exited with 3:");
    }

    @Test
    void passesExtraVariablesButNoInheritedPgVariables() {
        CommandResult result = runner.run(List.of("sh", "-c", "echo \"[$PGPASSWORD][$LC_ALL][${PGPORT:-unset}]\""),
                Map.of("PGPASSWORD", "pw"), workDir, Duration.ofSeconds(10));

        assertThat(result.output().strip()).isEqualTo("[pw][C][unset]");
    }

    @Test
    void killsACommandThatOutlivesItsTimeout() {
        long started = System.nanoTime();

        assertThatThrownBy(() -> runner.run(List.of("sleep", "30"), Map.of(), workDir, Duration.ofMillis(300)))
                .isInstanceOf(LocalClusterException.class)
                .hasMessageContaining("sleep 30")
                .hasMessageContaining("did not finish within PT0.3S");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void runCheckedFailsWithTheCommandAndItsOutput() {
        assertThatThrownBy(() -> runner.runChecked(List.of("sh", "-c", "echo broken; exit 1"), Map.of(), workDir,
                Duration.ofSeconds(10)))
                .isInstanceOf(LocalClusterException.class)
                .hasMessageContaining("exited with 1")
                .hasMessageContaining("broken");
    }
}
