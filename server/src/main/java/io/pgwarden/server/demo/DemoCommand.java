package io.pgwarden.server.demo;

import io.pgwarden.cluster.ClusterSettings;
import io.pgwarden.cluster.LocalCluster;
import io.pgwarden.cluster.LocalNode;
import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.config.SettingsLoader;
import io.pgwarden.server.ShutdownSignal;
import io.pgwarden.server.cli.AdminEndpoint;
import io.pgwarden.server.runtime.ClusterConfig;
import io.pgwarden.server.runtime.PgwardenRuntime;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pgwarden demo}: a local primary and streaming standbys with pgwarden in front, for a
 * first look at failover. Everything lives in a temporary directory that Ctrl-C removes.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts a local PostgreSQL primary and standbys with pgwarden in front.",
            "Ctrl-C stops everything and removes the temporary directory."},
        subcommands = KillPrimaryCommand.class)
public final class DemoCommand implements Callable<Integer> {

    /** The demo cluster's superuser; a throwaway local cluster, so a well-known password. */
    static final String SUPERUSER = "postgres";
    static final String PASSWORD = "pgwarden-demo";

    private static final int READ_WRITE_PORT = 6432;
    private static final int READ_ONLY_PORT = 6433;
    private static final int ADMIN_PORT = 6480;
    private static final Duration ELECTION_DEADLINE = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @Option(names = "--standbys", defaultValue = "2", description = "Number of streaming standbys (default: ${DEFAULT-VALUE}).")
    int standbys;

    @Option(names = "--pg-binaries", defaultValue = "auto", paramLabel = "auto|maven",
            description = "auto: installed PostgreSQL, else the binaries from Maven Central; maven: always those.")
    String binaries;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!binaries.equals("auto") && !binaries.equals("maven")) {
            spec.commandLine().getErr().println("--pg-binaries must be auto or maven, not " + binaries);
            spec.commandLine().getErr().flush();
            return 2;
        }
        ShutdownSignal shutdown = ShutdownSignal.install();
        ClusterSettings.Builder clusterSettings = ClusterSettings.builder()
                .standbys(standbys)
                .superuser(SUPERUSER, PASSWORD);
        if (binaries.equals("maven")) {
            clusterSettings.mavenBinaries();
        }
        say(out, "starting a local PostgreSQL primary and " + standbys + " streaming standbys ...");
        try (LocalCluster cluster = new LocalCluster(clusterSettings.build()).start()) {
            if (standbys > 0) {
                // An acknowledged commit is on a standby too: failover loses nothing.
                cluster.setSynchronousStandbys("ANY 1 (" + String.join(", ",
                        cluster.standbys().stream().map(LocalNode::name).toList()) + ")");
            }
            Set<Integer> taken = new HashSet<>();
            ClusterConfig config = new ClusterConfig(freePortFrom(READ_WRITE_PORT, taken),
                    freePortFrom(READ_ONLY_PORT, taken), freePortFrom(ADMIN_PORT, taken),
                    cluster.directory().resolve("pgwarden-state.json"));
            // A fresh admin token per run: the printed commands can switch over and fence, and
            // nothing else on the machine can without it.
            String adminToken = newAdminToken();
            PgwardenSettings settings = new SettingsLoader(Map.of("PGWARDEN_MONITOR_PASSWORD", PASSWORD,
                    "PGWARDEN_ADMIN_TOKEN", adminToken)).parse(config.render(cluster));
            say(out, "starting pgwarden in front of " + cluster.nodes().stream().map(LocalNode::name).toList() + " ...");
            try (PgwardenRuntime pgwarden = new PgwardenRuntime(settings).start()) {
                awaitElection(pgwarden);
                DemoRunFile run = new DemoRunFile(ProcessHandle.current().pid(), cluster.nodes().stream()
                        .map(node -> new DemoRunFile.Node(node.name(), node.port(), node.dataDir()))
                        .toList());
                run.write(DemoRunFile.location());
                try {
                    printInstructions(out, config, pgwarden, adminToken);
                    shutdown.await();
                    say(out, "stopping pgwarden and the local cluster ...");
                } finally {
                    Files.deleteIfExists(DemoRunFile.location());
                }
            }
        }
        say(out, "stopped; the temporary directory is removed");
        return 0;
    }

    private static void awaitElection(PgwardenRuntime pgwarden) throws InterruptedException {
        CountDownLatch elected = new CountDownLatch(1);
        try (var subscription = pgwarden.topology().subscribe(topology -> {
            if (topology.routablePrimary().isPresent()) {
                elected.countDown();
            }
        })) {
            if (!elected.await(ELECTION_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("pgwarden elected no primary within " + ELECTION_DEADLINE);
            }
        }
    }

    private static String newAdminToken() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void printInstructions(PrintWriter out, ClusterConfig config, PgwardenRuntime pgwarden,
            String adminToken) {
        String primary = pgwarden.topology().current().primary().orElse("?");
        String admin = "http://127.0.0.1:" + config.adminPort();
        String statusFlags = config.adminPort() == ADMIN_PORT ? "" : " --admin-url " + admin;
        List<String> lines = List.of(
                "",
                "pgwarden demo is ready: primary " + primary + ", password '" + PASSWORD + "' for user " + SUPERUSER,
                "",
                "  read-write:  PGPASSWORD=" + PASSWORD + " psql -h 127.0.0.1 -p " + config.readWritePort() + " -U " + SUPERUSER,
                "  read-only:   PGPASSWORD=" + PASSWORD + " psql -h 127.0.0.1 -p " + config.readOnlyPort() + " -U " + SUPERUSER,
                "  admin API:   " + admin + "/api/v1/cluster   (metrics: " + admin + "/metrics)",
                "  status:      bin/pgwarden status" + statusFlags,
                "",
                "  cause a failover (crash the primary):   bin/pgwarden demo kill-primary",
                "  then run the read-write psql again: it lands on the promoted standby.",
                "",
                "  commands that change something need this run's admin token:",
                "    export " + AdminEndpoint.TOKEN_VARIABLE + "=" + adminToken,
                "    bin/pgwarden switchover" + statusFlags + "   (planned: no transaction is cut)",
                "    bin/pgwarden pause" + statusFlags + "  /  bin/pgwarden resume" + statusFlags,
                "",
                "Ctrl-C stops everything.");
        lines.forEach(out::println);
        out.flush();
    }

    private static void say(PrintWriter out, String line) {
        out.println("pgwarden demo: " + line);
        out.flush();
    }

    /** The first port from {@code preferred} on that nothing listens on, and not taken already. */
    static int freePortFrom(int preferred, Set<Integer> taken) throws IOException {
        for (int port = preferred; port < preferred + 100; port++) {
            if (taken.contains(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                taken.add(port);
                return port;
            } catch (IOException busy) {
                // try the next one
            }
        }
        throw new IOException("no free port in " + preferred + "-" + (preferred + 99));
    }
}
