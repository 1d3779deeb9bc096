package io.pgwarden.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code bin/pgwarden} the way an operator does, against the jar this build packaged. */
class LauncherIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path LAUNCHER = ROOT.resolve("bin/pgwarden");
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private record Result(int status, String stdout, String stderr) {}

    private static Result launch(Path dir, String... args) throws IOException, InterruptedException {
        Process process = start(dir, args);
        assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("finished in time").isTrue();
        return new Result(process.exitValue(), Files.readString(dir.resolve("stdout")), Files.readString(dir.resolve("stderr")));
    }

    private static Process start(Path dir, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
        // The jar under test is the one this build just packaged.
        builder.environment().put("PGWARDEN_REBUILD", "never");
        return builder
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile())
                .start();
    }

    @Test
    void printsItsVersion(@TempDir Path dir) throws Exception {
        Result result = launch(dir, "--version");

        assertThat(result.status()).isZero();
        assertThat(result.stdout()).startsWith("pgwarden 0.");
    }

    @Test
    void checkConfigAcceptsTheExample(@TempDir Path dir) throws Exception {
        Result result = launch(dir, "check-config", "examples/pgwarden.conf");

        assertThat(result.status()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("valid");
    }

    @Test
    void checkConfigListsEveryMistakeAndExitsTwo(@TempDir Path dir) throws Exception {
        Result result = launch(dir, "check-config", "examples/broken.conf");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.stderr().lines().filter(line -> line.startsWith("  ") && line.contains(": pgwarden."))).hasSize(3);
    }

    /**
     * The example configuration on free ports, with its state file in {@code dir}: backends
     * need not run for pgwarden to start (it probes them and holds clients meanwhile).
     */
    private static Path exampleOnFreePorts(Path dir, String... extraLines) throws IOException {
        StringBuilder config = new StringBuilder("include file(\"" + ROOT.resolve("examples/pgwarden.conf") + "\")\n");
        config.append("pgwarden.listeners = [\n")
                .append("  { name = rw, port = ").append(freePort()).append(", route = primary }\n")
                .append("  { name = ro, port = ").append(freePort()).append(", route = standby }\n")
                .append("]\n");
        config.append("pgwarden.admin.port = ").append(freePort()).append('\n');
        config.append("pgwarden.failover.state-file = \"").append(dir.resolve("state.json")).append("\"\n");
        for (String line : extraLines) {
            config.append(line).append('\n');
        }
        return Files.writeString(dir.resolve("pgwarden.conf"), config, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void runStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        Process process = start(dir, "run", "--config", exampleOnFreePorts(dir).toString());
        awaitLog(dir, "started", process);

        process.destroy(); // SIGTERM

        assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(Files.readString(dir.resolve("stderr"))).contains("stopping on SIGTERM").contains("stopped");
    }

    @Test
    void runLogsJsonLinesWhenConfigured(@TempDir Path dir) throws Exception {
        Path config = exampleOnFreePorts(dir, "pgwarden.logging.format = json");
        Process process = start(dir, "run", "--config", config.toString());
        awaitLog(dir, "started", process);
        process.destroy();
        assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();

        List<String> lines = Files.readAllLines(dir.resolve("stderr"));
        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("\"level\":\"INFO\"").contains("started"));
    }

    private static void awaitLog(Path dir, String text, Process process) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            String stderr = Files.readString(dir.resolve("stderr"));
            if (stderr.contains(text)) {
                return;
            }
            assertThat(process.isAlive()).as("still running; stderr: %s", stderr).isTrue();
            Thread.onSpinWait();
            process.waitFor(100, TimeUnit.MILLISECONDS);
        }
        process.destroyForcibly();
        throw new AssertionError("no '" + text + "' in the log within " + DEADLINE);
    }
}
