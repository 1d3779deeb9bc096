package io.pgwarden.proxy.it;

import io.pgwarden.cluster.LocalCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs PostgreSQL client programs (psql, pgbench) against the proxy. */
final class Command {

    record Result(int exitCode, String stdout, String stderr) {
        String output() {
            return stdout + stderr;
        }
    }

    private Command() {
    }

    /** The program from the cluster's binaries, else from the PATH. */
    static String program(LocalCluster cluster, String name) {
        Path shipped = cluster.binDir().resolve(name);
        return Files.isExecutable(shipped) ? shipped.toString() : name;
    }

    static Process start(LocalCluster cluster, List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.put("PGPASSWORD", cluster.password());
        environment.put("PGCONNECT_TIMEOUT", "20");
        environment.put("PGAPPNAME", "pgwarden-it");
        return builder.start();
    }

    static Result run(LocalCluster cluster, long timeoutSeconds, String... command) throws Exception {
        Process process = start(cluster, List.of(command));
        process.getOutputStream().close();
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds
                    + " s; output so far: " + stdout.getNow("") + stderr.getNow(""));
        }
        return new Result(process.exitValue(), stdout.get(), stderr.get());
    }

    static CompletableFuture<String> drain(InputStream stream) {
        return Background.supply(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    static List<String> args(String... parts) {
        return new ArrayList<>(List.of(parts));
    }
}
