package io.pgwarden.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer's first minute, driven end to end through {@code bin/pgwarden}: start the demo,
 * write through the read-write port, crash the primary with the demo's own command, keep
 * writing on the promoted standby, Ctrl-C, and nothing is left behind.
 */
class DemoIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Duration DEADLINE = Duration.ofSeconds(120);
    private static final Pattern READ_WRITE = Pattern.compile("read-write:\\s+PGPASSWORD=\\S+ psql -h 127.0.0.1 -p (\\d+)");
    private static final Pattern STATUS = Pattern.compile("status:\\s+bin/pgwarden status( --admin-url \\S+)?");
    private static final Pattern TOKEN = Pattern.compile("export PGWARDEN_ADMIN_TOKEN=(\\S+)");
    private static final Pattern CLUSTER_DIR = Pattern.compile("starting local cluster in (\\S+)");

    @Test
    void failsOverAndCleansUpWithInstalledBinaries(@TempDir Path dir) throws Exception {
        runDemo(dir, "demo");
    }

    @Test
    void failsOverAndCleansUpWithTheBinariesFromMavenCentral(@TempDir Path dir) throws Exception {
        runDemo(dir, "demo", "--pg-binaries", "maven");
    }

    private static void runDemo(Path dir, String... args) throws Exception {
        Process demo = launch(dir, "demo", args);
        try {
            String ready = awaitOutput(demo, dir.resolve("demo.stdout"), "Ctrl-C stops everything");
            Matcher port = READ_WRITE.matcher(ready);
            assertThat(port.find()).as("read-write psql command in: %s", ready).isTrue();
            int readWritePort = Integer.parseInt(port.group(1));
            Matcher clusterDir = CLUSTER_DIR.matcher(Files.readString(dir.resolve("demo.stderr")));
            assertThat(clusterDir.find()).isTrue();
            Path clusterDirectory = Path.of(clusterDir.group(1));
            assertThat(clusterDirectory).isDirectory();

            int before = serverPortAfterWrite(readWritePort, 1);

            Process kill = launch(dir, "kill", "demo", "kill-primary");
            assertThat(kill.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(kill.exitValue()).as(Files.readString(dir.resolve("kill.stderr"))).isZero();
            assertThat(Files.readString(dir.resolve("kill.stdout"))).contains("killed");

            // The client only retries its connection; the write lands on the promoted standby.
            int after = retryUntilWritten(readWritePort, 2);
            assertThat(after).isNotEqualTo(before);

            // The status command the demo prints shows the promoted standby and the fenced old primary.
            Matcher statusCommand = STATUS.matcher(ready);
            assertThat(statusCommand.find()).as("status command in: %s", ready).isTrue();
            List<String> statusArgs = new ArrayList<>(List.of("status"));
            if (statusCommand.group(1) != null) {
                statusArgs.addAll(List.of(statusCommand.group(1).strip().split(" ")));
            }
            Process status = launch(dir, "status", statusArgs.toArray(String[]::new));
            assertThat(status.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            String statusOutput = Files.readString(dir.resolve("status.stdout"));
            assertThat(status.exitValue()).as(statusOutput + Files.readString(dir.resolve("status.stderr"))).isZero();
            assertThat(statusOutput).contains("epoch 2").contains("fenced");

            // Commands that change something take the token the demo printed, and only that.
            Matcher token = TOKEN.matcher(ready);
            assertThat(token.find()).as("admin token in: %s", ready).isTrue();
            List<String> adminFlags = statusArgs.subList(1, statusArgs.size());
            assertThat(runAdmin(dir, "pause-without-token", Map.of(), "pause", adminFlags)).isEqualTo(4);
            assertThat(runAdmin(dir, "pause", Map.of("PGWARDEN_ADMIN_TOKEN", token.group(1)), "pause", adminFlags))
                    .isZero();
            assertThat(runAdmin(dir, "resume", Map.of("PGWARDEN_ADMIN_TOKEN", token.group(1)), "resume", adminFlags))
                    .isZero();
            serverPortAfterWrite(readWritePort, 3);

            List<ProcessHandle> servers = postgresProcessesUnder(clusterDirectory);
            assertThat(servers).isNotEmpty();

            interrupt(demo);
            assertThat(demo.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(demo.exitValue()).isZero();
            assertThat(servers).noneMatch(DemoIT::isRunning);
            assertThat(clusterDirectory).doesNotExist();
            assertThat(DemoRunFile.location()).doesNotExist();
        } finally {
            demo.destroyForcibly();
        }
    }

    /** Runs an admin subcommand to its end and returns its exit code. */
    private static int runAdmin(Path dir, String name, Map<String, String> environment, String subcommand,
            List<String> flags) throws Exception {
        List<String> args = new ArrayList<>(List.of(subcommand));
        args.addAll(flags);
        Process process = launch(dir, name, environment, args.toArray(String[]::new));
        assertThat(process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    private static Process launch(Path dir, String name, String... args) throws IOException {
        return launch(dir, name, Map.of(), args);
    }

    private static Process launch(Path dir, String name, Map<String, String> environment, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/pgwarden").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
                .redirectOutput(dir.resolve(name + ".stdout").toFile())
                .redirectError(dir.resolve(name + ".stderr").toFile());
        builder.environment().remove("PGWARDEN_ADMIN_TOKEN");
        builder.environment().putAll(environment);
        builder.environment().put("PGWARDEN_REBUILD", "never");
        return builder.start();
    }

    private static String awaitOutput(Process process, Path file, String text) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            String output = Files.readString(file);
            if (output.contains(text)) {
                return output;
            }
            assertThat(process.isAlive()).as("demo still running; output: %s", output).isTrue();
            process.waitFor(100, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("no '" + text + "' within " + DEADLINE + " in " + Files.readString(file));
    }

    /** Ctrl-C, as a user at the terminal sends it. */
    private static void interrupt(Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    private static int retryUntilWritten(int port, long id) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            try {
                return serverPortAfterWrite(port, id);
            } catch (SQLException e) {
                last = e;
                Thread.sleep(100); // reconnect back-off, as an application would
            }
        }
        throw new AssertionError("no successful write within " + DEADLINE, last);
    }

    private static int serverPortAfterWrite(int port, long id) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", DemoCommand.SUPERUSER);
        properties.setProperty("password", DemoCommand.PASSWORD);
        properties.setProperty("connectTimeout", "10");
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", properties);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS demo_writes (id bigint PRIMARY KEY)");
            statement.execute("INSERT INTO demo_writes VALUES (" + id + ")");
            try (ResultSet row = statement.executeQuery("SELECT inet_server_port()")) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    /** Alive and not a zombie: an exited server whose parent (init here) has not reaped it is gone. */
    private static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false; // gone meanwhile
        }
    }

    private static List<ProcessHandle> postgresProcessesUnder(Path clusterDirectory) {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().map(line -> line.contains(clusterDirectory.toString()))
                        .orElse(false))
                .toList();
    }
}
