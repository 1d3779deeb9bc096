package io.pgwarden.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL primary and streaming standbys on {@code 127.0.0.1}, in a temporary directory, for demos and
 * integration tests.
 *
 * <pre>{@code
 * try (LocalCluster cluster = new LocalCluster(ClusterSettings.builder().standbys(2).build()).start()) {
 *     LocalNode primary = cluster.primary();
 *     primary.execute("CREATE TABLE t (id int)");
 *     cluster.awaitReplayed(Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p>Teardown always happens: {@link #close()} stops every server and deletes the directory; a shutdown hook
 * does the same when the JVM exits with the cluster still open; and a cluster left behind by a JVM that was
 * killed outright is removed by the next launch, which finds its owner dead.
 *
 * <p>Roles are never remembered: {@link #primary()} and {@link #standbys()} ask the servers.
 */
public final class LocalCluster implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);

    static final String CLUSTERS_DIR_NAME = "clusters";

    private enum State { NEW, STARTING, RUNNING, CLOSED }

    private final ClusterSettings settings;
    private final CommandRunner runner;
    private final ServerProcesses processes;
    private final Driver driver = new Driver();
    private final List<LocalNode> nodes = new CopyOnWriteArrayList<>();
    private final Map<String, String> userPasswords = new LinkedHashMap<>();
    private final Set<Integer> reservedPorts = new HashSet<>();

    private volatile State state = State.NEW;
    private volatile AuthMethod authMethod;
    private volatile PgBinaries binaries;
    private volatile ServerUser serverUser;
    private volatile Path directory;
    private Thread shutdownHook;

    /** A cluster that {@link #start()} brings up. */
    public LocalCluster(ClusterSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.runner = new CommandRunner();
        this.processes = new ServerProcesses(runner);
        this.authMethod = settings.authMethod();
    }

    /**
     * Starts the primary {@code pg1} and the standbys {@code pg2...}, and returns once every standby streams.
     * Clusters left behind by dead JVMs are removed first. On failure everything started so far is removed.
     *
     * @return this cluster
     * @throws LocalClusterException naming the step, the command, its exit code and the server log's tail
     * @throws IllegalStateException when called twice
     */
    public synchronized LocalCluster start() {
        if (state != State.NEW) {
            throw new IllegalStateException("a cluster starts once; this one is " + state);
        }
        state = State.STARTING;
        long startedAt = System.nanoTime();
        try {
            Path baseDir = prepareBaseDir(settings.baseDir());
            Path clustersDir = baseDir.resolve(CLUSTERS_DIR_NAME);
            createSharedDirectory(clustersDir);
            new StaleClusterReaper(processes).reap(clustersDir);
            binaries = new PgBinariesLocator(System.getenv(), PgBinariesLocator.DEBIAN_INSTALL_ROOT, runner,
                    () -> new MavenPgBinaries(LocalCluster.class.getClassLoader(), baseDir).binDir())
                    .locate(settings.binaries());
            serverUser = ServerUser.detect(settings.serverUserWhenRoot(), runner);
            // Readable by all: the server user must traverse it to reach its own node directories.
            directory = Files.createTempDirectory(clustersDir, "c");
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            OwnerMarker.currentProcess().writeTo(directory);
            shutdownHook = new Thread(this::closeFromShutdownHook, "pgwarden-local-cluster-teardown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            log.info("starting local cluster in {} ({} standbys, {} authentication, servers run as {})", directory,
                    settings.standbys(), authMethod.hbaMethod(), serverUser.name());

            LocalNode primary = newNode();
            primary.initdb();
            log.info("starting primary {} on {}:{}", primary.name(), primary.host(), primary.port());
            primary.startServer(true);
            if (authMethod == AuthMethod.MD5) {
                // initdb stored the password as SCRAM; MD5 authentication needs an MD5 hash.
                storePasswords(primary);
            }
            for (int i = 0; i < settings.standbys(); i++) {
                addStandby(primary);
            }
            state = State.RUNNING;
            log.info("local cluster ready in {} ms: {}", (System.nanoTime() - startedAt) / 1_000_000,
                    nodes.stream().map(LocalNode::toString).collect(Collectors.joining(", ")));
            return this;
        } catch (IOException | SQLException | RuntimeException e) {
            LocalClusterException failure = e instanceof LocalClusterException lce ? lce
                    : new LocalClusterException("cannot start the local cluster: " + e, e);
            try {
                close();
            } catch (RuntimeException teardown) {
                failure.addSuppressed(teardown);
            }
            throw failure;
        }
    }

    /**
     * Stops every server (immediate shutdown; SIGKILL if that fails) and deletes the cluster directory.
     * Idempotent, and safe to call from any thread.
     *
     * @throws LocalClusterException when something could not be stopped or deleted; the rest is still done
     */
    @Override
    public void close() {
        List<String> problems = new ArrayList<>();
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            for (LocalNode node : nodes) {
                try {
                    node.teardown();
                } catch (RuntimeException e) {
                    problems.add(node.name() + ": " + e.getMessage());
                }
            }
            if (directory != null) {
                try {
                    DirectoryTree.delete(directory);
                    log.info("local cluster in {} removed", directory);
                } catch (IOException e) {
                    problems.add("cannot delete " + directory + ": " + e);
                }
            }
            if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(shutdownHook);
                } catch (IllegalStateException e) {
                    // The JVM is shutting down; the hook will find the cluster closed.
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new LocalClusterException("teardown of the local cluster was incomplete: "
                    + String.join("; ", problems));
        }
    }

    private void closeFromShutdownHook() {
        try {
            close();
        } catch (RuntimeException e) {
            log.error("teardown of the local cluster in {} failed at JVM exit", directory, e);
        }
    }

    /** All nodes, in creation order: {@code pg1}, {@code pg2}, ... whatever their state. */
    public List<LocalNode> nodes() {
        return List.copyOf(nodes);
    }

    /**
     * The node called {@code name}.
     *
     * @throws IllegalArgumentException when there is none
     */
    public LocalNode node(String name) {
        return nodes.stream().filter(node -> node.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + name + " in " + nodes));
    }

    /**
     * The one running node whose server says it is not in recovery. Stopped and suspended nodes are not asked.
     *
     * @throws LocalClusterException when no node or several nodes are primary
     */
    public LocalNode primary() {
        List<LocalNode> primaries = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        for (LocalNode node : respondingNodes()) {
            try {
                if (!node.isInRecovery()) {
                    primaries.add(node);
                }
            } catch (LocalClusterException e) {
                unreachable.add(node.name() + " (" + e.getMessage() + ")");
            }
        }
        if (primaries.size() == 1) {
            return primaries.get(0);
        }
        if (primaries.isEmpty()) {
            throw new LocalClusterException("no running primary among " + nodes
                    + (unreachable.isEmpty() ? "" : "; unreachable: " + String.join(", ", unreachable)));
        }
        throw new LocalClusterException("several nodes are primary (split brain): " + primaries);
    }

    /** The running, responding nodes whose server says it is in recovery, in creation order. */
    public List<LocalNode> standbys() {
        List<LocalNode> standbys = new ArrayList<>();
        for (LocalNode node : respondingNodes()) {
            try {
                if (node.isInRecovery()) {
                    standbys.add(node);
                }
            } catch (LocalClusterException e) {
                log.debug("{} did not answer: {}", node.name(), e.getMessage());
            }
        }
        return standbys;
    }

    private List<LocalNode> respondingNodes() {
        return nodes.stream().filter(node -> !node.isSuspended() && node.isRunning()).toList();
    }

    /**
     * Waits until {@code standby} has replayed everything the primary had written when this method was called
     * ({@code pg_last_wal_replay_lsn() >= pg_current_wal_lsn()}).
     *
     * @throws LocalClusterException on timeout, with the standby's position and log
     */
    public void awaitReplayed(LocalNode standby, Duration timeout) {
        String target = primary().queryForString("SELECT pg_current_wal_lsn()::text");
        awaitReplayed(standby, target, timeout);
    }

    /** {@link #awaitReplayed(LocalNode, Duration)} for every running, responding standby. */
    public void awaitReplayed(Duration timeout) {
        LocalNode primary = primary();
        String target = primary.queryForString("SELECT pg_current_wal_lsn()::text");
        for (LocalNode node : respondingNodes()) {
            if (node != primary) {
                awaitReplayed(node, target, timeout);
            }
        }
    }

    private void awaitReplayed(LocalNode standby, String targetLsn, Duration timeout) {
        awaitReplayed(standby, Optional.empty(), targetLsn, timeout);
    }

    /**
     * @param connection an open connection to the standby, or empty to connect for every probe; an open one
     *     is needed while the stored passwords and pg_hba.conf disagree, during an authentication switch
     */
    private void awaitReplayed(LocalNode standby, Optional<Connection> connection, String targetLsn,
            Duration timeout) {
        String[] lastSeen = {"nothing replayed"};
        Poll.until(timeout, () -> standby.name() + " to replay up to " + targetLsn + " (last replayed: " + lastSeen[0]
                + ")\nlast lines of " + standby.logFile() + ":\n" + standby.logTail(20), () -> {
                    Connection probe = connection.isPresent() ? connection.get() : standby.adminConnection();
                    try (PreparedStatement statement = probe.prepareStatement(
                            "SELECT pg_last_wal_replay_lsn()::text, pg_last_wal_replay_lsn() >= ?::pg_lsn")) {
                        statement.setString(1, targetLsn);
                        try (ResultSet result = statement.executeQuery()) {
                            result.next();
                            lastSeen[0] = String.valueOf(result.getString(1));
                            return result.getBoolean(2) ? Optional.of(true) : Optional.empty();
                        }
                    } finally {
                        if (connection.isEmpty()) {
                            probe.close();
                        }
                    }
                });
    }

    /**
     * Waits until {@code standby}'s WAL receiver streams from the current primary on the primary's timeline,
     * e.g. after {@link LocalNode#start()} of a standby, which returns as soon as it accepts connections.
     */
    public void awaitStreaming(LocalNode standby, Duration timeout) {
        standby.awaitStreamingFrom(primary(), timeout);
    }

    /**
     * Sets {@code synchronous_standby_names} on the primary (e.g. {@code "ANY 1 (pg2, pg3)"}; standbys connect
     * with their node name as {@code application_name}; empty turns synchronous replication off) and returns
     * once commits wait accordingly.
     */
    public synchronized void setSynchronousStandbys(String names) {
        requireRunning();
        LocalNode primary = primary();
        try (Connection connection = primary.adminConnection(); Statement statement = connection.createStatement()) {
            statement.execute(names.isEmpty()
                    ? "ALTER SYSTEM RESET synchronous_standby_names"
                    : "ALTER SYSTEM SET synchronous_standby_names = " + ServerConfig.quoteLiteral(names));
            LocalNode.reloadAndWait(connection, settings.operationTimeout(), primary.name());
            // Commits consult a flag that the checkpointer updates when it processes the reload. A checkpoint
            // request is handled only after pending signals, and the second one proves the first loop ended.
            statement.execute("CHECKPOINT");
            statement.execute("CHECKPOINT");
            log.info("synchronous_standby_names on {} is now '{}'", primary.name(), names);
        } catch (SQLException e) {
            throw new LocalClusterException("cannot set synchronous_standby_names on " + primary.name() + ": " + e, e);
        }
    }

    /**
     * Switches every node to {@code method}: rewrites {@code pg_hba.conf} and {@code password_encryption},
     * stores every known password again in the matching form (MD5 needs MD5 hashes), and returns once the
     * running nodes have reloaded. Stopped nodes pick the change up when started.
     */
    public synchronized void setAuthMethod(AuthMethod method) {
        requireRunning();
        LocalNode primary = primary();
        List<LocalNode> running = respondingNodes();
        Map<LocalNode, Connection> connections = new LinkedHashMap<>();
        try {
            // Connect under the old rules: once the new ones apply, stored passwords may not match until re-stored.
            for (LocalNode node : running) {
                connections.put(node, node.adminConnection());
            }
            authMethod = method;
            for (LocalNode node : nodes) {
                if (Files.isDirectory(node.dataDir())) {
                    node.writeServerConfig();
                }
            }
            Connection primaryConnection = connections.get(primary);
            storePasswords(primaryConnection);
            String target = lsn(primaryConnection);
            for (LocalNode node : running) {
                if (node != primary) {
                    awaitReplayed(node, Optional.of(connections.get(node)), target, settings.operationTimeout());
                }
            }
            for (Map.Entry<LocalNode, Connection> entry : connections.entrySet()) {
                LocalNode.reloadAndWait(entry.getValue(), settings.operationTimeout(), entry.getKey().name());
            }
            log.info("authentication is now {} on every node", method.hbaMethod());
        } catch (IOException | SQLException e) {
            throw new LocalClusterException("cannot switch authentication to " + method.hbaMethod() + ": " + e, e);
        } finally {
            for (Connection connection : connections.values()) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    log.debug("closing a connection failed", e);
                }
            }
        }
    }

    /**
     * Creates a login role with {@code password}, stored in the form the current authentication method checks,
     * and returns once every running standby has it too.
     */
    public synchronized void createUser(String name, String password) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(password, "password");
        requireRunning();
        LocalNode primary = primary();
        try (Connection connection = primary.adminConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SET password_encryption = " + ServerConfig.quoteLiteral(authMethod.passwordEncryption()));
            statement.execute("CREATE ROLE " + ServerConfig.quoteIdentifier(name) + " LOGIN PASSWORD "
                    + ServerConfig.quoteLiteral(password));
        } catch (SQLException e) {
            throw new LocalClusterException("cannot create user " + name + " on " + primary.name() + ": " + e, e);
        }
        userPasswords.put(name, password);
        awaitReplayed(settings.operationTimeout());
    }

    /** Clones a new standby from the current primary, starts it and returns once it streams. */
    public synchronized LocalNode addStandby() {
        requireRunning();
        try {
            return addStandby(primary());
        } catch (IOException | SQLException e) {
            throw new LocalClusterException("cannot add a standby: " + e, e);
        }
    }

    private LocalNode addStandby(LocalNode primary) throws IOException, SQLException {
        LocalNode standby = newNode();
        standby.createDirectory();
        log.info("cloning standby {} from {}", standby.name(), primary.name());
        clone(primary, standby);
        standby.configureAsStandby(primary);
        log.info("starting standby {} on {}:{}", standby.name(), standby.host(), standby.port());
        standby.startServer(true);
        standby.awaitStreamingFrom(primary, settings.operationTimeout());
        return standby;
    }

    private void clone(LocalNode primary, LocalNode target) throws IOException, SQLException {
        try (Connection connection = primary.adminConnection()) {
            new BaseBackup(serverUser).take(connection, primary.dataDir(), target.dataDir(),
                    "pgwarden clone of " + primary.name() + " for " + target.name());
        }
    }

    /**
     * Turns a failed or fenced old primary into a standby of {@code newPrimary}: stops it if it runs, rewinds
     * it with {@code pg_rewind} when the binaries have it (the servers run with {@code wal_log_hints=on}),
     * otherwise (or if the rewind fails) replaces its data with a fresh base backup; then starts it and
     * returns once it streams from {@code newPrimary}.
     *
     * @return how the node was brought back
     */
    public synchronized RejoinMethod rejoinAsStandby(LocalNode oldPrimary, LocalNode newPrimary) {
        requireRunning();
        if (oldPrimary == newPrimary) {
            throw new IllegalArgumentException("a node cannot rejoin as a standby of itself");
        }
        if (!newPrimary.isRunning() || newPrimary.isSuspended() || newPrimary.isInRecovery()) {
            throw new IllegalStateException(newPrimary.name() + " is not a running primary");
        }
        try {
            if (oldPrimary.isRunning()) {
                if (oldPrimary.isSuspended()) {
                    oldPrimary.sigcont();
                }
                oldPrimary.stop(StopMode.FAST);
            }
            oldPrimary.clearStaleLockFiles();
            RejoinMethod method = rewind(oldPrimary, newPrimary) ? RejoinMethod.REWIND : RejoinMethod.CLONE;
            if (method == RejoinMethod.CLONE) {
                log.info("replacing the data of {} with a base backup of {}", oldPrimary.name(), newPrimary.name());
                DirectoryTree.delete(oldPrimary.dataDir());
                clone(newPrimary, oldPrimary);
            }
            oldPrimary.configureAsStandby(newPrimary);
            log.info("starting standby {} on {}:{}", oldPrimary.name(), oldPrimary.host(), oldPrimary.port());
            oldPrimary.startServer(false);
            oldPrimary.awaitStreamingFrom(newPrimary, settings.operationTimeout());
            log.info("{} rejoined as a standby of {} ({})", oldPrimary.name(), newPrimary.name(), method);
            return method;
        } catch (IOException | SQLException e) {
            throw new LocalClusterException("cannot rejoin " + oldPrimary.name() + " to " + newPrimary.name() + ": "
                    + e, e);
        }
    }

    private boolean rewind(LocalNode target, LocalNode source) {
        Optional<Path> pgRewind = binaries.pgRewind();
        if (pgRewind.isEmpty()) {
            return false;
        }
        Map<String, String> sourceServer = new LinkedHashMap<>();
        sourceServer.put("host", source.host());
        sourceServer.put("port", Integer.toString(source.port()));
        sourceServer.put("user", superuser());
        sourceServer.put("dbname", "postgres");
        // pg_rewind reads the source's timeline from pg_control, which a fresh promotion updates only at its
        // first checkpoint; without one it sees the same timeline on both sides and rewinds nothing.
        source.execute("CHECKPOINT");
        List<String> command = new ArrayList<>(List.of(pgRewind.get().toString(),
                "--target-pgdata=" + target.dataDir(), "--source-server=" + ServerConfig.conninfo(sourceServer)));
        if (!settings.durable()) {
            command.add("--no-sync");
        }
        log.info("rewinding {} to the timeline of {} with pg_rewind", target.name(), source.name());
        CommandResult result = runner.run(serverUser.command(command), Map.of("PGPASSWORD", password()),
                target.directory(), settings.startTimeout());
        if (!result.succeeded()) {
            log.warn("pg_rewind of {} failed; cloning instead: {}", target.name(), result.describe());
        } else {
            log.debug("pg_rewind of {}: {}", target.name(), result.output().strip());
        }
        return result.succeeded();
    }

    /** The authentication method in force now. */
    public AuthMethod authMethod() {
        return authMethod;
    }

    /** The superuser every helper connects as; also the replication user. */
    public String superuser() {
        return settings.superuser();
    }

    /** The superuser's password. */
    public String password() {
        return settings.password();
    }

    /** Passwords of the users made with {@link #createUser(String, String)}. */
    public synchronized Optional<String> passwordOf(String user) {
        return user.equals(superuser()) ? Optional.of(password()) : Optional.ofNullable(userPasswords.get(user));
    }

    /** What this cluster was built from. */
    public ClusterSettings settings() {
        return settings;
    }

    /**
     * The binaries in use.
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public PgBinaries binaries() {
        PgBinaries current = binaries;
        if (current == null) {
            throw new IllegalStateException("the binaries are chosen by start()");
        }
        return current;
    }

    /** {@code binaries().binDir()}: where {@code psql}, {@code pgbench} and friends are, when shipped. */
    public Path binDir() {
        return binaries().binDir();
    }

    /** The cluster's temporary directory, one subdirectory per node. */
    public Path directory() {
        Path current = directory;
        if (current == null) {
            throw new IllegalStateException("the directory is created by start()");
        }
        return current;
    }

    /** The operating system user the servers run as: this JVM's, or the unprivileged one when it runs as root. */
    public String serverUserName() {
        return serverUser().name();
    }

    @Override
    public String toString() {
        return "LocalCluster[" + (directory == null ? "not started" : directory) + ", " + nodes + "]";
    }

    // ---- shared with LocalNode ----

    CommandRunner runner() {
        return runner;
    }

    ServerProcesses processes() {
        return processes;
    }

    ServerUser serverUser() {
        ServerUser current = serverUser;
        if (current == null) {
            throw new IllegalStateException("the server user is chosen by start()");
        }
        return current;
    }

    Connection openConnection(String url, Properties properties) throws SQLException {
        Connection connection = driver.connect(url, properties);
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver does not accept " + url);
        }
        return connection;
    }

    /** A free port on the loopback interface that no node of this cluster uses. */
    synchronized int reservePort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(ServerConfig.HOST))) {
                int port = socket.getLocalPort();
                if (reservedPorts.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot find a free port on " + ServerConfig.HOST, e);
            }
        }
        throw new LocalClusterException("no free port found on " + ServerConfig.HOST);
    }

    private LocalNode newNode() {
        String name = "pg" + (nodes.size() + 1);
        LocalNode node = new LocalNode(this, name, reservePort(), directory.resolve(name));
        nodes.add(node);
        return node;
    }

    void requireRunning() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("the cluster is " + state + ", not running");
        }
    }

    /** Stores the superuser's and every created user's password again, hashed as the current method needs. */
    private void storePasswords(LocalNode primary) throws SQLException {
        try (Connection connection = primary.adminConnection()) {
            storePasswords(connection);
        }
    }

    private void storePasswords(Connection connection) throws SQLException {
        Map<String, String> passwords = new LinkedHashMap<>();
        passwords.put(superuser(), password());
        passwords.putAll(userPasswords);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET password_encryption = " + ServerConfig.quoteLiteral(authMethod.passwordEncryption()));
            for (Map.Entry<String, String> entry : passwords.entrySet()) {
                statement.execute("ALTER ROLE " + ServerConfig.quoteIdentifier(entry.getKey()) + " PASSWORD "
                        + ServerConfig.quoteLiteral(entry.getValue()));
            }
        }
    }

    private static String lsn(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            result.next();
            return result.getString(1);
        }
    }

    /**
     * Creates the base directory if needed and makes sure it is ours: a directory in a shared {@code /tmp} that
     * someone else created (or a symbolic link planted there) must not receive our clusters.
     */
    private static Path prepareBaseDir(Path baseDir) throws IOException {
        try {
            Files.createDirectories(baseDir.getParent());
            Files.createDirectory(baseDir,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (FileAlreadyExistsException e) {
            // Checked below.
        }
        PosixFileAttributes attributes = Files.readAttributes(baseDir, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        UserPrincipal me = baseDir.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        if (!attributes.isDirectory() || !attributes.owner().equals(me)) {
            throw new LocalClusterException("base directory " + baseDir + " is not a directory owned by "
                    + me.getName() + " (owner " + attributes.owner().getName() + "); choose another with "
                    + "ClusterSettings.Builder.baseDir");
        }
        // The server user must be able to traverse it when the JVM runs as root.
        Files.setPosixFilePermissions(baseDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return baseDir;
    }

    private static void createSharedDirectory(Path dir) throws IOException {
        try {
            Files.createDirectory(dir);
            // Explicitly, whatever the umask: the server user must traverse it.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (FileAlreadyExistsException e) {
            // Made by an earlier launch.
        }
    }
}
