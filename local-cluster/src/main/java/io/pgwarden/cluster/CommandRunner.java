package io.pgwarden.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs external programs with a deadline, capturing their output. */
final class CommandRunner {
    private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);

    /**
     * Runs {@code command} in {@code workDir} and waits for it, at most {@code timeout}.
     *
     * <p>Output goes to a temporary file rather than a pipe: {@code pg_ctl start} leaves a daemon behind,
     * and a daemon that inherited a pipe would keep the reader waiting for an end of file that never comes.
     *
     * <p>{@code PG*} variables of this JVM are not passed on (a stray {@code PGPORT} or {@code PGDATA} must
     * not redirect a command); {@code LC_ALL=C} keeps messages in English whatever locales exist.
     *
     * @throws LocalClusterException when the command cannot start or outlives the timeout; it is killed then
     */
    CommandResult run(List<String> command, Map<String, String> environment, Path workDir, Duration timeout) {
        log.debug("running {}", CommandResult.commandLine(command));
        Path outputFile = null;
        try {
            outputFile = Files.createTempFile("pgwarden-command", ".out");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(outputFile.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("PG"));
            env.put("LC_ALL", "C");
            env.putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new LocalClusterException("`" + CommandResult.commandLine(command) + "` did not finish within "
                        + timeout + " and was killed; output so far:\n" + read(outputFile));
            }
            return new CommandResult(command, process.exitValue(), read(outputFile));
        } catch (IOException e) {
            throw new LocalClusterException("could not run `" + CommandResult.commandLine(command) + "`: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalClusterException("interrupted while running `" + CommandResult.commandLine(command) + "`",
                    e);
        } finally {
            if (outputFile != null) {
                try {
                    Files.deleteIfExists(outputFile);
                } catch (IOException e) {
                    log.debug("could not delete {}", outputFile, e);
                }
            }
        }
    }

    /** Runs the command and fails unless it exits with 0. */
    CommandResult runChecked(List<String> command, Map<String, String> environment, Path workDir, Duration timeout) {
        CommandResult result = run(command, environment, workDir, timeout);
        if (!result.succeeded()) {
            throw new LocalClusterException(result.describe());
        }
        return result;
    }

    /** A program on the {@code PATH} or in the usual system directories (root's {@code sbin} included). */
    static Optional<Path> findProgram(String name) {
        List<Path> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            Stream.of(path.split(":")).filter(dir -> !dir.isEmpty()).map(Path::of).forEach(dirs::add);
        }
        Stream.of("/usr/sbin", "/sbin", "/usr/bin", "/bin").map(Path::of).forEach(dirs::add);
        return dirs.stream().map(dir -> dir.resolve(name))
                .filter(file -> Files.isRegularFile(file) && Files.isExecutable(file))
                .findFirst();
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
