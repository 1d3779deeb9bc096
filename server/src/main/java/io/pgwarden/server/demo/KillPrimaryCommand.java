package io.pgwarden.server.demo;

import io.pgwarden.server.PgwardenCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code pgwarden demo kill-primary}: crashes the demo's current primary the way a power cut
 * would (SIGKILL of the postmaster and every server process), so pgwarden's failover can be watched.
 */
@Command(name = "kill-primary", mixinStandardHelpOptions = true,
        description = "Kills the running demo's primary with SIGKILL, as a crash would.")
final class KillPrimaryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DemoRunFile run;
        try {
            run = DemoRunFile.read(DemoRunFile.location());
        } catch (NoSuchFileException e) {
            err.println("no pgwarden demo is running (no " + DemoRunFile.location() + "); start one with: bin/pgwarden demo");
            err.flush();
            return 1;
        }
        if (!ProcessHandle.of(run.demoPid()).map(ProcessHandle::isAlive).orElse(false)) {
            err.println("the demo that wrote " + DemoRunFile.location() + " (pid " + run.demoPid() + ") is gone");
            err.flush();
            return 1;
        }
        Optional<DemoRunFile.Node> primary = run.nodes().stream().filter(KillPrimaryCommand::isWritable).findFirst();
        if (primary.isEmpty()) {
            err.println("no node of the demo accepts writes right now (a failover may be in progress)");
            err.flush();
            return PgwardenCommand.EXIT_INVALID;
        }
        DemoRunFile.Node node = primary.get();
        long pid = postmasterPid(node.dataDir());
        ProcessHandle postmaster = ProcessHandle.of(pid)
                .orElseThrow(() -> new IOException("postmaster " + pid + " of " + node.name() + " is not running"));
        List<ProcessHandle> children = postmaster.descendants().toList();
        postmaster.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        out.println("killed " + node.name() + " (127.0.0.1:" + node.port() + ", postmaster pid " + pid + ") with SIGKILL;"
                + " watch pgwarden promote a standby");
        out.flush();
        return 0;
    }

    private static boolean isWritable(DemoRunFile.Node node) {
        Properties properties = new Properties();
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("socketTimeout", "5");
        properties.setProperty("user", DemoCommand.SUPERUSER);
        properties.setProperty("password", DemoCommand.PASSWORD);
        try (Connection connection = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + node.port() + "/postgres", properties);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT NOT pg_is_in_recovery()")) {
            return row.next() && row.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    private static long postmasterPid(Path dataDir) throws IOException {
        List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
        if (lines.isEmpty()) {
            throw new IOException(dataDir.resolve("postmaster.pid") + " is empty");
        }
        return Long.parseLong(lines.get(0).strip());
    }
}
