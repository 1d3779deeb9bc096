package io.pgwarden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Nothing outlives a cluster: not after close(), not after its JVM died without closing it. */
class TeardownIT {
    private Path baseDir;

    @BeforeEach
    void ownBaseDir() throws IOException {
        // Under the default base, not a JUnit @TempDir: that one is private (0700), and as root the server
        // user must be able to traverse the path.
        Files.createDirectories(ClusterSettings.defaultBaseDir());
        baseDir = Files.createTempDirectory(ClusterSettings.defaultBaseDir(), "teardown-it-");
    }

    @AfterEach
    void removeBaseDir() throws IOException {
        DirectoryTree.delete(baseDir);
    }

    private ClusterSettings settings(int standbys) {
        return ClusterSettings.builder().standbys(standbys).baseDir(baseDir).build();
    }

    @Test
    void closeStopsEveryProcessAndDeletesTheDirectoryAndIsIdempotent() {
        LocalCluster cluster = new LocalCluster(settings(1)).start();
        Path directory = cluster.directory();
        List<ProcessHandle> processes = new ArrayList<>();
        cluster.nodes().forEach(node -> processes.addAll(node.processes()));
        assertThat(processes).hasSizeGreaterThan(6);
        cluster.node("pg2").sigstop();

        cluster.close();

        assertThat(processes).allSatisfy(process -> assertThat(ProcFs.isAlive(process.pid()))
                .as("process %d", process.pid()).isFalse());
        assertThat(directory).doesNotExist();
        cluster.close();
    }

    @Test
    void closeAfterKill9LeavesNoSharedMemoryBehind() throws IOException {
        LocalCluster cluster = new LocalCluster(settings(0)).start();
        LocalNode node = cluster.node("pg1");
        long postmaster = node.pid();
        node.kill9();
        assertThat(sharedMemoryCreatedBy(postmaster)).isNotEmpty();

        cluster.close();

        assertThat(sharedMemoryCreatedBy(postmaster)).isEmpty();
    }

    @Test
    void nextLaunchReapsTheClusterOfADeadJvmButNotOfALiveOne() throws Exception {
        LocalCluster abandoned = new LocalCluster(settings(1)).start();
        LocalCluster alive = new LocalCluster(settings(0)).start();
        Path abandonedDir = abandoned.directory();
        List<ProcessHandle> abandonedProcesses = new ArrayList<>();
        abandoned.nodes().forEach(node -> abandonedProcesses.addAll(node.processes()));
        // The owner "dies": its marker now names a process that has exited.
        Process owner = new ProcessBuilder("true").start();
        ProcessHandle.Info ownerInfo = owner.toHandle().info();
        owner.waitFor();
        new OwnerMarker(owner.pid(), ownerInfo.startInstant()).writeTo(abandonedDir);

        try (LocalCluster next = new LocalCluster(settings(0)).start()) {
            assertThat(abandonedDir).doesNotExist();
            assertThat(abandonedProcesses).allSatisfy(process -> assertThat(ProcFs.isAlive(process.pid()))
                    .as("process %d of the abandoned cluster", process.pid()).isFalse());
            assertThat(alive.directory()).exists();
            assertThat(alive.node("pg1").isRunning()).isTrue();
            assertThat(next.primary().queryForString("SELECT 1")).isEqualTo("1");
        } finally {
            alive.close();
            abandoned.close();
        }
    }

    @Test
    void terminatingTheJvmWithoutCloseStillTearsTheClusterDown() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ShutdownHookProbe.class.getName(), baseDir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            try (BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                Optional<String> ready = output.lines().filter(line -> line.startsWith("READY ")).findFirst();
                assertThat(ready).as("the child JVM's cluster started").isPresent();
                String[] fields = ready.get().split(" ");
                Path directory = Path.of(fields[1]);
                long postmaster = Long.parseLong(fields[2]);
                assertThat(directory).exists();
                assertThat(ProcFs.isAlive(postmaster)).isTrue();

                child.destroy();

                assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child JVM exited").isTrue();
                assertThat(ProcFs.isAlive(postmaster)).isFalse();
                assertThat(directory).doesNotExist();
            }
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void failedStartNamesCommandExitCodeAndLogAndLeavesNothingBehind() {
        ClusterSettings broken = ClusterSettings.builder().standbys(0).baseDir(baseDir)
                .setting("shared_buffers", "lots")
                .build();

        assertThatThrownBy(() -> new LocalCluster(broken).start())
                .isInstanceOf(LocalClusterException.class)
                .hasMessageContaining("pg1 failed to start")
                .hasMessageContaining("pg_ctl start -D")
                .hasMessageContaining("exited with 1")
                .hasMessageContaining("invalid value for parameter \"shared_buffers\": \"lots\"");
        assertThat(baseDir.resolve(LocalCluster.CLUSTERS_DIR_NAME)).isEmptyDirectory();
    }

    /** Rows of /proc/sysvipc/shm whose creator is {@code pid}. */
    private static List<String> sharedMemoryCreatedBy(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/sysvipc/shm")).stream().skip(1)
                .filter(row -> row.strip().split("\\s+")[4].equals(Long.toString(pid)))
                .toList();
    }
}
