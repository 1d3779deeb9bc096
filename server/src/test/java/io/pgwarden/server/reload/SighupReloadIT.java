package io.pgwarden.server.reload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -HUP} on {@code bin/pgwarden run}, as an operator sends it: the file is read again,
 * the outcome (or every problem) is logged, and the process keeps running until SIGTERM.
 * The backends of the example need not run: pgwarden probes them and holds clients meanwhile.
 */
class SighupReloadIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void sighupAppliesTheFileLogsWhatWaitsForARestartAndSurvivesAnInvalidFile() throws Exception {
        int rw = freePort();
        int ro = freePort();
        int admin = freePort();
        Path config = writeConfig(rw, ro, admin);
        Process process = launch(config);
        try {
            awaitLog(process, "started");

            writeConfig(rw, ro, admin, "pgwarden.health.interval = 1s", "pgwarden.admin.port = " + freePort());
            hangUp(process);

            awaitLog(process, "reloaded: 1 change(s) applied, 1 need a restart");
            String log = stderr();
            assertThat(log).contains("applied: pgwarden.health.interval: 250ms -> 1s")
                    .contains("not applied: pgwarden.admin.port: " + admin + " -> ");

            writeConfig(rw, ro, admin, "pgwarden.admin.port = 70000");
            hangUp(process);

            awaitLog(process, "not reloaded");
            assertThat(stderr()).contains("pgwarden.admin.port = 70000: not a port (1-65535)");
            assertThat(process.isAlive()).isTrue();

            process.destroy(); // SIGTERM
            assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
            assertThat(stderr()).contains("stopping on SIGTERM");
        } finally {
            process.destroyForcibly();
            process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private Path writeConfig(int rw, int ro, int admin, String... extraLines) throws IOException {
        StringBuilder config = new StringBuilder("include file(\"" + ROOT.resolve("examples/pgwarden.conf") + "\")\n");
        config.append("pgwarden.listeners = [\n")
                .append("  { name = rw, port = ").append(rw).append(", route = primary }\n")
                .append("  { name = ro, port = ").append(ro).append(", route = standby }\n")
                .append("]\n");
        config.append("pgwarden.admin.port = ").append(admin).append('\n');
        config.append("pgwarden.failover.state-file = \"").append(dir.resolve("state.json")).append("\"\n");
        for (String line : extraLines) {
            config.append(line).append('\n');
        }
        return Files.writeString(dir.resolve("pgwarden.conf"), config, StandardCharsets.UTF_8);
    }

    private Process launch(Path config) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(List.of(ROOT.resolve("bin/pgwarden").toString(), "run",
                "--config", config.toString())).directory(ROOT.toFile());
        // The jar under test is the one this build just packaged.
        builder.environment().put("PGWARDEN_REBUILD", "never");
        return builder.redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile())
                .start();
    }

    /** bin/pgwarden execs the JVM, so the process started is the one to signal. */
    private static void hangUp(Process process) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private String stderr() throws IOException {
        return Files.readString(dir.resolve("stderr"));
    }

    private void awaitLog(Process process, String text) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            String log = stderr();
            if (log.contains(text)) {
                return;
            }
            assertThat(process.isAlive()).as("still running; stderr: %s", log).isTrue();
            process.waitFor(100, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("no '" + text + "' in the log within " + DEADLINE + ":\n" + stderr());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
