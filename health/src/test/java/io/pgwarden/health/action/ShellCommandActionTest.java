package io.pgwarden.health.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgwarden.config.BackendSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellCommandActionTest {

    private static final BackendSettings PG1 = new BackendSettings("pg1", "127.0.0.1", 5432, 1);
    private static final BackendSettings PG2 = new BackendSettings("pg2", "127.0.0.2", 5433, 1);

    @TempDir
    Path directory;

    private final ObjectMapper json = new ObjectMapper();

    private static ActionRequest promotePg2() {
        return new ActionRequest(ActionKind.PROMOTE, "failover", "primary-down", 4,
                Instant.parse("2025-01-01T00:00:00Z"), Optional.of(PG2), Optional.of(PG1), Optional.of(PG2),
                Duration.ofSeconds(1), Map.of("candidate-rank", "1"));
    }

    private ShellCommandAction action(String command, Duration timeout) {
        return new ShellCommandAction(ActionKind.PROMOTE, command, timeout, json);
    }

    @Test
    void theCommandGetsTheEventAsEnvironmentVariables() {
        ActionResult result = action("echo \"$PGWARDEN_ACTION $PGWARDEN_EVENT $PGWARDEN_REASON epoch=$PGWARDEN_EPOCH"
                + " node=$PGWARDEN_NODE_NAME@$PGWARDEN_NODE_HOST:$PGWARDEN_NODE_PORT"
                + " old=$PGWARDEN_OLD_PRIMARY_NAME:$PGWARDEN_OLD_PRIMARY_PORT"
                + " new=$PGWARDEN_NEW_PRIMARY_NAME rank=$PGWARDEN_CANDIDATE_RANK timeout=$PGWARDEN_TIMEOUT_MS\"",
                Duration.ofSeconds(5)).run(promotePg2());

        assertThat(result.status()).isEqualTo(ActionStatus.SUCCEEDED);
        assertThat(result.exitCode()).hasValue(0);
        assertThat(result.output()).isEqualTo("promote failover primary-down epoch=4 node=pg2@127.0.0.2:5433"
                + " old=pg1:5432 new=pg2 rank=1 timeout=5000");
    }

    @Test
    void theCommandGetsTheEventAsJsonOnStdin() throws Exception {
        ActionResult result = action("cat", Duration.ofSeconds(5)).run(promotePg2());

        JsonNode event = json.readTree(result.output());
        assertThat(event.path("action").asText()).isEqualTo("promote");
        assertThat(event.path("epoch").asLong()).isEqualTo(4);
        assertThat(event.path("node").path("name").asText()).isEqualTo("pg2");
        assertThat(event.path("oldPrimary").path("port").asInt()).isEqualTo(5432);
        assertThat(event.path("details").path("candidate-rank").asText()).isEqualTo("1");
    }

    @Test
    void aNonZeroExitIsAFailureWithItsCodeAndOutput() {
        ActionResult result = action("echo 'pg_ctl: no server running' >&2; exit 3", Duration.ofSeconds(5))
                .run(promotePg2());
        assertThat(result.status()).isEqualTo(ActionStatus.FAILED);
        assertThat(result.exitCode()).hasValue(3);
        assertThat(result.output()).isEqualTo("pg_ctl: no server running");
    }

    @Test
    void aHangingCommandIsKilledWithItsChildrenAtTheTimeout() throws Exception {
        Path pidFile = directory.resolve("child.pid");
        long start = System.nanoTime();
        ActionResult result = action("sleep 60 & echo $! > " + pidFile + "; echo started; wait", Duration.ofMillis(700))
                .run(promotePg2());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.status()).isEqualTo(ActionStatus.TIMED_OUT);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.exitCode()).isEmpty();
        assertThat(result.output()).startsWith("started").contains("killed after 700 ms");
        assertThat(took).isLessThan(Duration.ofSeconds(5));
        long child = Long.parseLong(Files.readString(pidFile).strip());
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(child).map(handle -> !handle.isAlive()).orElse(true));
    }

    @Test
    void outputIsBounded() {
        ActionResult result = action("head -c 100000 /dev/zero | tr '\\0' x", Duration.ofSeconds(5)).run(promotePg2());
        assertThat(result.status()).isEqualTo(ActionStatus.SUCCEEDED);
        assertThat(result.output()).startsWith("xxxx").contains("output truncated");
        assertThat(result.output().length()).isLessThan(ShellCommandAction.MAX_OUTPUT_BYTES + 100);
    }
}
