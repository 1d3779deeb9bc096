package io.pgwarden.cluster;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link TeardownIT}: starts a cluster, reports its directory and postmaster PID on
 * stdout, and then waits to be terminated without ever calling {@code close()}.
 */
public final class ShutdownHookProbe {

    private ShutdownHookProbe() {
    }

    public static void main(String[] args) throws Exception {
        LocalCluster cluster = new LocalCluster(ClusterSettings.builder()
                .standbys(0)
                .baseDir(Path.of(args[0]))
                .build()).start();
        System.out.println("READY " + cluster.directory() + " " + cluster.node("pg1").pid());
        System.out.flush();
        // Blocks until the parent terminates this JVM; stdin stays open until then.
        System.in.read();
    }
}
