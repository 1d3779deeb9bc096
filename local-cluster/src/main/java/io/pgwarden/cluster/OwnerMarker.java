package io.pgwarden.cluster;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Properties;

/**
 * Names the JVM that owns a cluster directory, so a later launch can tell a cluster whose owner died without
 * running its shutdown hook (SIGKILL, power loss) from one that is still in use. The process start time
 * guards against a recycled PID.
 *
 * @param pid PID of the owning JVM
 * @param startedAt when that process started, if the platform tells
 */
record OwnerMarker(long pid, Optional<Instant> startedAt) {

    static final String FILE_NAME = "pgwarden-owner.properties";

    /** Start times read twice from {@code /proc} may differ by rounding; a recycled PID differs by far more. */
    private static final Duration START_TOLERANCE = Duration.ofSeconds(1);

    static OwnerMarker currentProcess() {
        ProcessHandle self = ProcessHandle.current();
        return new OwnerMarker(self.pid(), self.info().startInstant());
    }

    void writeTo(Path clusterDir) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("pid", Long.toString(pid));
        startedAt.ifPresent(instant -> properties.setProperty("started-at", instant.toString()));
        try (Writer writer = Files.newBufferedWriter(clusterDir.resolve(FILE_NAME), StandardCharsets.UTF_8)) {
            properties.store(writer, "JVM that owns this pgwarden local cluster");
        }
    }

    /** The marker in {@code clusterDir}; empty when there is none or it cannot be read. */
    static Optional<OwnerMarker> readFrom(Path clusterDir) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(clusterDir.resolve(FILE_NAME), StandardCharsets.UTF_8)) {
            properties.load(reader);
            long pid = Long.parseLong(properties.getProperty("pid", "").strip());
            String started = properties.getProperty("started-at");
            return Optional.of(new OwnerMarker(pid, started == null ? Optional.empty() : Optional.of(
                    Instant.parse(started.strip()))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** True while the owning JVM runs; a live process with another start time is someone else. */
    boolean isOwnerAlive() {
        if (!ServerProcesses.isAlive(pid)) {
            return false;
        }
        Optional<Instant> actualStart = ProcessHandle.of(pid).flatMap(process -> process.info().startInstant());
        if (startedAt.isEmpty() || actualStart.isEmpty()) {
            return true;
        }
        return Duration.between(startedAt.get(), actualStart.get()).abs().compareTo(START_TOLERANCE) <= 0;
    }
}
