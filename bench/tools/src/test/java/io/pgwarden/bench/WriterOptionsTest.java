package io.pgwarden.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WriterOptionsTest {

    @Test
    void requiredOptionsWithDefaultsForTheRest() {
        WriterOptions options = WriterOptions.parse(
                "--url", "jdbc:postgresql://127.0.0.1:25411/bench", "--run", "3", "--stop-file", "/tmp/stop");

        assertThat(options.url()).isEqualTo("jdbc:postgresql://127.0.0.1:25411/bench");
        assertThat(options.run()).isEqualTo(3);
        assertThat(options.stopFile()).isEqualTo(Path.of("/tmp/stop"));
        assertThat(options.table()).isEqualTo("bench_failover");
        assertThat(options.pause()).isEqualTo(Duration.ofMillis(10));
        assertThat(options.retryPause()).isEqualTo(Duration.ofMillis(10));
        assertThat(options.maxRuntime()).isEqualTo(Duration.ofSeconds(900));
    }

    @Test
    void everyOptionCanBeSet() {
        WriterOptions options = WriterOptions.parse("--url", "jdbc:postgresql://127.0.0.1/x", "--run", "1",
                "--stop-file", "s", "--table", "writes_2", "--pause-ms", "0", "--retry-ms", "25", "--max-seconds", "60");

        assertThat(options.table()).isEqualTo("writes_2");
        assertThat(options.pause()).isZero();
        assertThat(options.retryPause()).isEqualTo(Duration.ofMillis(25));
        assertThat(options.maxRuntime()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void refusesMissingValuesUnknownOptionsAndUnsafeTableNames() {
        assertThatThrownBy(() -> WriterOptions.parse("--url", "u", "--run", "1"))
                .hasMessageContaining("--stop-file");
        assertThatThrownBy(() -> WriterOptions.parse("--url"))
                .hasMessageContaining("--url needs a value");
        assertThatThrownBy(() -> WriterOptions.parse("--bogus", "1"))
                .hasMessageContaining("unknown option --bogus");
        assertThatThrownBy(() -> WriterOptions.parse("--url", "u", "--run", "1", "--stop-file", "s",
                "--table", "t; drop table x"))
                .hasMessageContaining("plain lower-case identifier");
        assertThatThrownBy(() -> WriterOptions.parse("--url", "u", "--run", "1", "--stop-file", "s",
                "--pause-ms", "-1"))
                .hasMessageContaining("--pause-ms must be >= 0");
    }
}
