package io.pgwarden.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerMarkerTest {

    @TempDir
    Path clusterDir;

    @Test
    void roundTripsThroughTheMarkerFile() throws IOException {
        OwnerMarker marker = new OwnerMarker(1234, Optional.of(Instant.parse("2026-01-02T03:04:05.678Z")));

        marker.writeTo(clusterDir);

        assertThat(OwnerMarker.readFrom(clusterDir)).contains(marker);
    }

    @Test
    void missingOrGarbledMarkerReadsAsNone() throws IOException {
        assertThat(OwnerMarker.readFrom(clusterDir)).isEmpty();

        Files.writeString(clusterDir.resolve(OwnerMarker.FILE_NAME), "pid=not-a-number\n");

        assertThat(OwnerMarker.readFrom(clusterDir)).isEmpty();
    }

    @Test
    void thisJvmIsAlive() {
        assertThat(OwnerMarker.currentProcess().isOwnerAlive()).isTrue();
    }

    @Test
    void anExitedProcessIsDead() throws Exception {
        Process process = new ProcessBuilder("true").start();
        Optional<Instant> started = process.toHandle().info().startInstant();
        process.waitFor();

        assertThat(new OwnerMarker(process.pid(), started).isOwnerAlive()).isFalse();
    }

    @Test
    void aLiveProcessWithAnotherStartTimeIsNotTheOwner() {
        ProcessHandle self = ProcessHandle.current();
        Instant otherStart = self.info().startInstant().orElseThrow().minusSeconds(3600);

        assertThat(new OwnerMarker(self.pid(), Optional.of(otherStart)).isOwnerAlive()).isFalse();
    }
}
