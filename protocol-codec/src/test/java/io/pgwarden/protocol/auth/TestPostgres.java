package io.pgwarden.protocol.auth;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server on 127.0.0.1 for the auth integration test, from the
 * binaries installed on the machine. As root it runs as the unprivileged {@code postgres}
 * user, since PostgreSQL refuses to run as root.
 */
final class TestPostgres implements AutoCloseable {

    static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private final Path directory;
    private final Path data;
    private final int port;
    private final boolean root;

    private TestPostgres(Path directory, int port, boolean root) {
        this.directory = directory;
        this.data = directory.resolve("data");
        this.port = port;
        this.root = root;
    }

    static boolean available() {
        return Files.isExecutable(BIN.resolve("postgres"));
    }

    /** Starts a server whose pg_hba.conf is {@code hbaLines} (TCP on 127.0.0.1 only). */
    static TestPostgres start(List<String> hbaLines) throws IOException, InterruptedException {
        final boolean root = "root".equals(System.getProperty("user.name"));
        final Path directory = Files.createTempDirectory("pgwarden-auth-it");
        final TestPostgres server = new TestPostgres(directory, freePort(), root);
        try {
            if (root) {
                final UserPrincipal postgres = directory.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName("postgres");
                Files.setOwner(directory, postgres);
            }
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            server.run(BIN.resolve("initdb").toString(), "-D", server.data.toString(), "-U", "postgres",
                "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync");
            server.writeAsServerUser(server.data.resolve("pg_hba.conf"), String.join("\n", hbaLines) + "\n");
            server.run(BIN.resolve("pg_ctl").toString(), "-D", server.data.toString(), "-w", "-t", "60",
                "-l", server.directory.resolve("server.log").toString(),
                "-o", "-c listen_addresses=127.0.0.1 -p " + server.port + " -k " + directory + " -c fsync=off",
                "start");
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    String jdbcUrl(String user) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=" + user + "&sslmode=disable";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
            }
        } finally {
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private void writeAsServerUser(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        if (root) {
            Files.setOwner(file, file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
        }
    }

    private void run(String... command) throws IOException, InterruptedException {
        final List<String> full = new ArrayList<>();
        if (root) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        final Path output = Files.createTempFile("pgwarden-auth-it", ".out");
        try {
            final Process process = new ProcessBuilder(full)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed with exit code " + process.exitValue()
                    + ":\n" + Files.readString(output));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
