package io.pgwarden.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes clusters whose owning JVM died without cleaning up: stops their servers, then deletes their
 * directories. Runs before every launch. Clusters of live JVMs are never touched, and only processes proven
 * to be the postmaster of a directory inside the dead cluster (or its children) are signalled.
 */
final class StaleClusterReaper {
    private static final Logger log = LoggerFactory.getLogger(StaleClusterReaper.class);

    /** A directory without marker is either being created right now or left by a crash in that instant. */
    private static final Duration UNMARKED_GRACE = Duration.ofMinutes(10);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final ServerProcesses processes;

    StaleClusterReaper(ServerProcesses processes) {
        this.processes = processes;
    }

    /** Reaps every stale cluster directly below {@code clustersDir}; returns the directories it removed. */
    List<Path> reap(Path clustersDir) {
        if (!Files.isDirectory(clustersDir)) {
            return List.of();
        }
        List<Path> candidates;
        try (Stream<Path> entries = Files.list(clustersDir)) {
            candidates = entries.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            log.warn("cannot look for stale clusters in {}: {}", clustersDir, e.toString());
            return List.of();
        }
        return candidates.stream().filter(this::isStale).filter(this::reapOne).toList();
    }

    private boolean isStale(Path clusterDir) {
        Optional<OwnerMarker> owner = OwnerMarker.readFrom(clusterDir);
        if (owner.isPresent()) {
            return !owner.get().isOwnerAlive();
        }
        try {
            return Files.getLastModifiedTime(clusterDir).toInstant().isBefore(Instant.now().minus(UNMARKED_GRACE));
        } catch (IOException e) {
            return false;
        }
    }

    private boolean reapOne(Path clusterDir) {
        log.info("removing stale cluster {} (its owner {} is gone)", clusterDir,
                OwnerMarker.readFrom(clusterDir).map(marker -> "process " + marker.pid()).orElse("process"));
        try (Stream<Path> nodeDirs = Files.list(clusterDir)) {
            for (Path dataDir : nodeDirs.map(dir -> dir.resolve(LocalNode.DATA_DIR_NAME)).toList()) {
                stopServer(dataDir);
            }
            DirectoryTree.delete(clusterDir);
            return true;
        } catch (IOException | LocalClusterException e) {
            log.warn("cannot remove stale cluster {}: {}", clusterDir, e.toString());
            return false;
        }
    }

    /** An immediate shutdown (SIGQUIT), which releases shared memory; SIGKILL if that does not end it. */
    private void stopServer(Path dataDir) {
        Optional<ProcessHandle> postmaster = processes.postmaster(dataDir);
        if (postmaster.isPresent()) {
            log.info("stopping stale server {} of {}", postmaster.get().pid(), dataDir);
            List<ProcessHandle> tree = ServerProcesses.tree(postmaster.get());
            processes.signal("QUIT", List.of(postmaster.get()));
            try {
                ServerProcesses.awaitGone(List.of(postmaster.get()), SHUTDOWN_GRACE);
            } catch (LocalClusterException e) {
                processes.killTree(postmaster.get(), SHUTDOWN_GRACE);
            }
            ServerProcesses.awaitGone(tree, SHUTDOWN_GRACE);
        }
        processes.removeOrphanedSharedMemory(dataDir);
    }
}
