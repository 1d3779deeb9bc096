package io.pgwarden.cluster;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PostgreSQL server of a {@link LocalCluster}: a data directory, a port on {@code 127.0.0.1} and the
 * processes running it. Its role (primary or standby) is whatever the server says, never remembered here.
 *
 * <p>Layout: {@code <cluster dir>/<name>/} holds the Unix socket and {@value #LOG_FILE_NAME};
 * {@code <cluster dir>/<name>/data} is the data directory.
 */
public final class LocalNode {
    private static final Logger log = LoggerFactory.getLogger(LocalNode.class);

    static final String DATA_DIR_NAME = "data";
    static final String LOG_FILE_NAME = "postgresql.log";
    private static final int PORT_ATTEMPTS = 5;
    private static final int LOG_TAIL_LINES = 40;
    /** What pg_ctl may add to its own -t timeout before it is considered hung. */
    private static final Duration PG_CTL_GRACE = Duration.ofSeconds(15);
    private static final Duration TEARDOWN_TIMEOUT = Duration.ofSeconds(15);

    private final LocalCluster cluster;
    private final String name;
    private final Path directory;
    private final Path dataDir;
    private final Path logFile;
    private volatile int port;
    private volatile boolean suspended;

    LocalNode(LocalCluster cluster, String name, int port, Path directory) {
        this.cluster = cluster;
        this.name = name;
        this.port = port;
        this.directory = directory;
        this.dataDir = directory.resolve(DATA_DIR_NAME);
        this.logFile = directory.resolve(LOG_FILE_NAME);
    }

    /** {@code pg1} for the first primary, {@code pg2}, {@code pg3} ... for the standbys, in creation order. */
    public String name() {
        return name;
    }

    /** Always {@code 127.0.0.1}. */
    public String host() {
        return ServerConfig.HOST;
    }

    public int port() {
        return port;
    }

    /** The node's directory: the Unix socket (when its path is short enough) and the server log. */
    public Path directory() {
        return directory;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The server log (stderr of the postmaster), kept across restarts. */
    public Path logFile() {
        return logFile;
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres}. */
    public String jdbcUrl() {
        return jdbcUrl("postgres");
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/<database>}; credentials are not part of it. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** True while the postmaster of this data directory runs (a suspended one counts as running). */
    public boolean isRunning() {
        return postmaster().isPresent();
    }

    /** True between {@link #sigstop()} and {@link #sigcont()}. */
    public boolean isSuspended() {
        return suspended;
    }

    /**
     * The postmaster's PID.
     *
     * @throws IllegalStateException when the node is not running
     */
    public long pid() {
        return requirePostmaster().pid();
    }

    /** The postmaster and all its children, postmaster first; empty when the node is not running. */
    public List<ProcessHandle> processes() {
        return postmaster().map(ServerProcesses::tree).orElse(List.of());
    }

    /** {@code pg_is_in_recovery()}: true on a standby. */
    public boolean isInRecovery() {
        return Boolean.parseBoolean(queryForString("SELECT pg_is_in_recovery()::text"));
    }

    /** Starts the stopped (or killed) server and waits until it accepts connections; nothing if it runs. */
    public void start() {
        cluster.requireRunning();
        if (isRunning()) {
            return;
        }
        try {
            clearStaleLockFiles();
            log.info("starting {} on {}:{}", name, host(), port);
            startServer(false);
        } catch (IOException e) {
            throw new LocalClusterException("cannot start " + name + ": " + e, e);
        }
    }

    /** {@code stop(StopMode.FAST)}. */
    public void stop() {
        stop(StopMode.FAST);
    }

    /** Stops the server with {@code pg_ctl stop -m <mode>} and waits for it; nothing if it is not running. */
    public void stop(StopMode mode) {
        if (!isRunning()) {
            return;
        }
        if (suspended) {
            sigcont();
        }
        log.info("stopping {} ({} shutdown)", name, mode.pgCtlName());
        CommandResult result = pgCtl(List.of("stop", "-D", dataDir.toString(), "-m", mode.pgCtlName(), "-w", "-t",
                seconds(cluster.settings().operationTimeout()), "-s"), cluster.settings().operationTimeout());
        if (!result.succeeded()) {
            throw new LocalClusterException(name + " did not stop: " + result.describe() + logTailMessage());
        }
    }

    /** Stops (fast) and starts the server. */
    public void restart() {
        stop(StopMode.FAST);
        start();
    }

    /**
     * Kills the node like a crashed machine: SIGKILL to the postmaster and every child, no shutdown of any
     * kind. Returns once none of these processes is alive.
     *
     * @throws IllegalStateException when the node is not running
     */
    public void kill9() {
        ProcessHandle postmaster = requirePostmaster();
        log.info("killing {} (postmaster {} and its children) with SIGKILL", name, postmaster.pid());
        cluster.processes().killTree(postmaster, cluster.settings().operationTimeout());
        suspended = false;
    }

    /**
     * Freezes the node with SIGSTOP (postmaster first, so it forks nothing new, then every child) and returns
     * once all are stopped. It keeps its sockets, so clients hang instead of being refused, as with a hung
     * machine.
     *
     * @throws IllegalStateException when the node is not running
     */
    public void sigstop() {
        ProcessHandle postmaster = requirePostmaster();
        log.info("suspending {} (SIGSTOP to postmaster {} and its children)", name, postmaster.pid());
        cluster.processes().signal("STOP", List.of(postmaster));
        suspended = true;
        List<ProcessHandle> tree = ServerProcesses.tree(postmaster);
        cluster.processes().signal("STOP", tree.subList(1, tree.size()));
        ServerProcesses.awaitStopped(tree, true, cluster.settings().operationTimeout());
    }

    /** Resumes a node frozen by {@link #sigstop()} with SIGCONT, and returns once all its processes run. */
    public void sigcont() {
        Optional<ProcessHandle> postmaster = postmaster();
        if (postmaster.isPresent()) {
            log.info("resuming {} (SIGCONT)", name);
            List<ProcessHandle> tree = ServerProcesses.tree(postmaster.get());
            cluster.processes().signal("CONT", tree);
            ServerProcesses.awaitStopped(tree, false, cluster.settings().operationTimeout());
        }
        suspended = false;
    }

    /**
     * Promotes this standby with {@code pg_ctl promote} and returns once it accepts writes; nothing if it is
     * a primary already.
     */
    public void promote() {
        requireResponsive();
        if (!isInRecovery()) {
            log.debug("{} is a primary already", name);
            return;
        }
        log.info("promoting {}", name);
        Duration timeout = cluster.settings().operationTimeout();
        CommandResult result = pgCtl(List.of("promote", "-D", dataDir.toString(), "-w", "-t", seconds(timeout), "-s"),
                timeout);
        if (!result.succeeded()) {
            throw new LocalClusterException(name + " was not promoted: " + result.describe() + logTailMessage());
        }
        Poll.until(timeout, () -> name + " to accept writes after promotion", () ->
                "off".equals(queryForString("SELECT CASE WHEN pg_is_in_recovery() THEN 'on' "
                        + "ELSE current_setting('transaction_read_only') END"))
                        ? Optional.of(true) : Optional.empty());
    }

    /**
     * Points this standby at {@code newPrimary}. A running standby gets the new {@code primary_conninfo}
     * through {@code ALTER SYSTEM} and a reload (a restart before PostgreSQL 13), and the call returns once it
     * streams from the new primary on the new primary's timeline ({@code recovery_target_timeline} is
     * {@code latest}). A stopped one gets the setting in its files and follows when started.
     *
     * @throws IllegalStateException when this node is a running primary: only a standby can follow; see
     *     {@link LocalCluster#rejoinAsStandby(LocalNode, LocalNode)}
     */
    public void follow(LocalNode newPrimary) {
        if (newPrimary == this) {
            throw new IllegalArgumentException(name + " cannot follow itself");
        }
        String conninfo = primaryConninfo(newPrimary);
        try {
            if (!isRunning()) {
                log.info("{} (stopped) will follow {} when started", name, newPrimary.name);
                setStoppedAutoConf("primary_conninfo", conninfo);
                return;
            }
            requireResponsive();
            if (!isInRecovery()) {
                throw new IllegalStateException(name + " is a primary; only a standby can follow another node "
                        + "(use LocalCluster.rejoinAsStandby to turn an old primary into a standby)");
            }
            log.info("{} now follows {}", name, newPrimary.name);
            execute("ALTER SYSTEM SET primary_conninfo = " + ServerConfig.quoteLiteral(conninfo));
            if (cluster.binaries().majorVersion() >= 13) {
                reloadConfiguration();
            } else {
                restart();
            }
            awaitStreamingFrom(newPrimary, cluster.settings().operationTimeout());
        } catch (IOException e) {
            throw new LocalClusterException("cannot point " + name + " at " + newPrimary.name + ": " + e, e);
        }
    }

    /** A superuser connection to the {@code postgres} database. */
    public Connection connect() throws SQLException {
        return connect("postgres");
    }

    /** A superuser connection to {@code database}. */
    public Connection connect(String database) throws SQLException {
        return connect(database, cluster.superuser(), cluster.password());
    }

    /**
     * A connection as {@code user}; connect and login time out after 10 seconds, queries do not (use
     * {@code statement_timeout} or {@code socketTimeout} where a test needs a bound).
     */
    public Connection connect(String database, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("loginTimeout", "10");
        return cluster.openConnection(jdbcUrl(database), properties);
    }

    /** Runs SQL as superuser in the {@code postgres} database, bounded by the operation timeout. */
    public void execute(String sql) {
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw sqlFailure(sql, e);
        }
    }

    /**
     * Runs a query as superuser and returns the first column of the first row as text (null for SQL NULL or
     * no row), bounded by the operation timeout.
     */
    public String queryForString(String sql) {
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            return result.next() ? result.getString(1) : null;
        } catch (SQLException e) {
            throw sqlFailure(sql, e);
        }
    }

    /** The last {@code lines} lines of the server log. */
    public String logTail(int lines) {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long length = file.length();
            long start = Math.max(0, length - 64 * 1024);
            byte[] bytes = new byte[(int) (length - start)];
            file.seek(start);
            file.readFully(bytes);
            List<String> all = List.of(new String(bytes, StandardCharsets.UTF_8).split("\n"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (FileNotFoundException e) {
            return "(no log file " + logFile + ")";
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return name + "@" + host() + ":" + port;
    }

    // ---- used by LocalCluster ----

    Optional<ProcessHandle> postmaster() {
        return cluster.processes().postmaster(dataDir);
    }

    private ProcessHandle requirePostmaster() {
        return postmaster().orElseThrow(() -> new IllegalStateException(name + " is not running"));
    }

    private void requireResponsive() {
        requirePostmaster();
        if (suspended) {
            throw new IllegalStateException(name + " is suspended (sigstop); call sigcont() first");
        }
    }

    /** A superuser connection whose queries time out after the operation timeout, for the launcher itself. */
    Connection adminConnection() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", cluster.superuser());
        properties.setProperty("password", cluster.password());
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("loginTimeout", "10");
        properties.setProperty("socketTimeout", seconds(cluster.settings().operationTimeout()));
        properties.setProperty("ApplicationName", "pgwarden-local-cluster");
        return cluster.openConnection(jdbcUrl("postgres"), properties);
    }

    void setPort(int port) {
        this.port = port;
    }

    /** Creates the node directory and an empty cluster in it with {@code initdb}. */
    void initdb() throws IOException {
        ServerUser user = cluster.serverUser();
        user.createPrivateDirectory(directory);
        Path passwordFile = directory.resolve("initdb.pw");
        user.writeFile(passwordFile, cluster.password() + "\n");
        try {
            List<String> command = new ArrayList<>(List.of(cluster.binaries().initdb().toString(),
                    "-D", dataDir.toString(), "-U", cluster.superuser(), "--pwfile=" + passwordFile,
                    "-E", "UTF8", "--no-locale", "--auth=" + cluster.authMethod().hbaMethod()));
            if (!cluster.settings().durable()) {
                command.add("--no-sync");
            }
            log.info("creating {} with initdb in {}", name, dataDir);
            CommandResult result = cluster.runner().run(user.command(command), Map.of(), directory,
                    cluster.settings().startTimeout());
            if (!result.succeeded()) {
                throw new LocalClusterException("initdb of " + name + " failed: " + result.describe());
            }
        } finally {
            Files.deleteIfExists(passwordFile);
        }
        writeServerConfig();
    }

    /** Creates the node directory for a data directory that a backup will fill. */
    void createDirectory() throws IOException {
        cluster.serverUser().createPrivateDirectory(directory);
    }

    /** Rewrites {@value ServerConfig#INCLUDE_FILE} and {@code pg_hba.conf} from the cluster's current settings. */
    void writeServerConfig() throws IOException {
        ServerUser user = cluster.serverUser();
        Optional<Path> socketDir = ServerConfig.socketPathFits(directory) ? Optional.of(directory) : Optional.empty();
        if (socketDir.isEmpty()) {
            log.warn("{}: socket path in {} would be too long; Unix sockets are off, TCP only", name, directory);
        }
        Map<String, String> settings = ServerConfig.nodeSettings(name, port, socketDir, cluster.settings(),
                cluster.authMethod(), cluster.binaries().majorVersion());
        user.writeFile(dataDir.resolve(ServerConfig.INCLUDE_FILE), ServerConfig.renderConf(settings));
        user.writeFile(dataDir.resolve("pg_hba.conf"), ServerConfig.renderHba(cluster.authMethod()));
        Path postgresqlConf = dataDir.resolve("postgresql.conf");
        if (!Files.readString(postgresqlConf, StandardCharsets.UTF_8).contains(ServerConfig.INCLUDE_LINE)) {
            Files.writeString(postgresqlConf, "\n" + ServerConfig.INCLUDE_LINE + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
        }
    }

    /**
     * Makes the (stopped) data directory a standby of {@code primary}: the launcher's files, a
     * {@code primary_conninfo}, {@code standby.signal}. Settings copied from the primary that only make
     * sense there ({@code synchronous_standby_names}, replication slot) are dropped.
     */
    void configureAsStandby(LocalNode primary) throws IOException {
        writeServerConfig();
        Path autoConf = dataDir.resolve("postgresql.auto.conf");
        String content = Files.exists(autoConf) ? Files.readString(autoConf, StandardCharsets.UTF_8) : "";
        content = AutoConf.remove(content, "synchronous_standby_names");
        content = AutoConf.remove(content, "primary_slot_name");
        content = AutoConf.set(content, "primary_conninfo", primaryConninfo(primary));
        cluster.serverUser().writeFile(autoConf, content);
        cluster.serverUser().writeFile(dataDir.resolve("standby.signal"), "");
        Files.deleteIfExists(dataDir.resolve("recovery.signal"));
    }

    private void setStoppedAutoConf(String setting, String value) throws IOException {
        Path autoConf = dataDir.resolve("postgresql.auto.conf");
        String content = Files.exists(autoConf) ? Files.readString(autoConf, StandardCharsets.UTF_8) : "";
        cluster.serverUser().writeFile(autoConf, AutoConf.set(content, setting, value));
    }

    private String primaryConninfo(LocalNode primary) {
        return ServerConfig.primaryConninfo(primary.port(), cluster.superuser(), cluster.password(), name);
    }

    /**
     * Removes the lock files ({@code postmaster.pid}, {@code .s.PGSQL.<port>.lock}) of a server that died
     * (SIGKILL) before anything starts in its data directory. PostgreSQL would do that itself, except while
     * the dead postmaster is an unreaped zombie: its PID still exists then, and the new server refuses to start.
     */
    void clearStaleLockFiles() throws IOException {
        if (postmaster().isPresent()) {
            return;
        }
        if (Files.exists(dataDir.resolve("postmaster.pid"))) {
            cluster.processes().removeOrphanedSharedMemory(dataDir);
            Files.deleteIfExists(dataDir.resolve("postmaster.pid"));
        }
        if (Files.isDirectory(directory)) {
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith(".s.PGSQL.")).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /**
     * Starts the server with {@code pg_ctl start -w}. On its first start a node may lose its port to another
     * process between choosing and binding it; it then tries again on another port.
     */
    void startServer(boolean firstStart) throws IOException {
        Duration timeout = cluster.settings().startTimeout();
        for (int attempt = 1; ; attempt++) {
            long logOffset = Files.exists(logFile) ? Files.size(logFile) : 0;
            CommandResult result = pgCtl(List.of("start", "-D", dataDir.toString(), "-l", logFile.toString(), "-w",
                    "-t", seconds(timeout), "-s"), timeout);
            if (result.succeeded()) {
                return;
            }
            // A server that came up after pg_ctl gave up must not outlive the failure.
            postmaster().ifPresent(process -> cluster.processes().killTree(process, TEARDOWN_TIMEOUT));
            String newLog = logSince(logOffset);
            if (firstStart && attempt < PORT_ATTEMPTS && newLog.contains("Address already in use")) {
                int taken = port;
                port = cluster.reservePort();
                log.info("{}: port {} was taken meanwhile, trying {}", name, taken, port);
                writeServerConfig();
                continue;
            }
            throw new LocalClusterException(name + " failed to start: " + result.describe() + logTailMessage());
        }
    }

    private String logSince(long offset) {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            byte[] bytes = new byte[(int) Math.max(0, file.length() - offset)];
            file.seek(offset);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Waits until this standby streams from {@code primary} on the primary's current timeline (after a
     * promotion, the standby first streams the old timeline up to the switch point, then the new one).
     */
    void awaitStreamingFrom(LocalNode primary, Duration timeout) {
        int timeline = primary.timeline();
        String[] lastSeen = {"no WAL receiver"};
        Poll.until(timeout, () -> name + " to stream from " + primary.name + " on timeline " + timeline
                + " (last seen: " + lastSeen[0] + ")" + logTailMessage(), () -> {
                    try (Connection connection = adminConnection(); Statement statement = connection.createStatement();
                            ResultSet result = statement.executeQuery(
                                    "SELECT status, sender_port, received_tli FROM pg_stat_wal_receiver")) {
                        if (!result.next()) {
                            lastSeen[0] = "no WAL receiver";
                            return Optional.empty();
                        }
                        String status = result.getString(1);
                        int senderPort = result.getInt(2);
                        int receivedTimeline = result.getInt(3);
                        lastSeen[0] = status + " from port " + senderPort + " on timeline " + receivedTimeline;
                        return "streaming".equals(status) && senderPort == primary.port()
                                && receivedTimeline == timeline ? Optional.of(true) : Optional.empty();
                    }
                });
    }

    /** The timeline this primary writes on, from the name of its current WAL file. */
    int timeline() {
        String walFile = queryForString("SELECT pg_walfile_name(pg_current_wal_lsn())");
        return Integer.parseInt(walFile.substring(0, 8), 16);
    }

    /**
     * Reloads the configuration and returns once it is in effect: the backend of this connection reports a
     * new load time only after the postmaster re-read the files and signalled it, and new sessions then get
     * the new settings and {@code pg_hba.conf}.
     */
    static void reloadAndWait(Connection connection, Duration timeout, String nodeName) throws SQLException {
        String before = loadTime(connection);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_reload_conf()");
        }
        Poll.until(timeout, () -> nodeName + " to reload its configuration", () ->
                loadTime(connection).equals(before) ? Optional.empty() : Optional.of(true));
    }

    private static String loadTime(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT pg_conf_load_time()::text")) {
            result.next();
            return result.getString(1);
        }
    }

    void reloadConfiguration() {
        try (Connection connection = adminConnection()) {
            reloadAndWait(connection, cluster.settings().operationTimeout(), name);
        } catch (SQLException e) {
            throw sqlFailure("SELECT pg_reload_conf()", e);
        }
    }

    /** Stops whatever runs, immediately, for the cluster's teardown. */
    void teardown() {
        Optional<ProcessHandle> postmaster = postmaster();
        if (postmaster.isPresent()) {
            List<ProcessHandle> tree = ServerProcesses.tree(postmaster.get());
            if (suspended) {
                cluster.processes().signal("CONT", tree);
                suspended = false;
            }
            CommandResult result = pgCtl(List.of("stop", "-D", dataDir.toString(), "-m", "immediate", "-w", "-t",
                    seconds(TEARDOWN_TIMEOUT), "-s"), TEARDOWN_TIMEOUT);
            if (!result.succeeded()) {
                log.warn("{}: immediate shutdown failed, killing it: {}", name, result.describe());
                postmaster().ifPresent(process -> cluster.processes().killTree(process, TEARDOWN_TIMEOUT));
            }
            ServerProcesses.awaitGone(tree, TEARDOWN_TIMEOUT);
        }
        cluster.processes().removeOrphanedSharedMemory(dataDir);
    }

    private CommandResult pgCtl(List<String> arguments, Duration timeout) {
        List<String> command = new ArrayList<>();
        command.add(cluster.binaries().pgCtl().toString());
        command.addAll(arguments);
        return cluster.runner().run(cluster.serverUser().command(command), Map.of(), directory,
                timeout.plus(PG_CTL_GRACE));
    }

    private String logTailMessage() {
        return "\nlast lines of " + logFile + ":\n" + logTail(LOG_TAIL_LINES);
    }

    private LocalClusterException sqlFailure(String sql, SQLException e) {
        return new LocalClusterException(name + ": `" + sql + "` failed: " + e.getMessage()
                + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")"), e);
    }

    private static String seconds(Duration duration) {
        return Long.toString(Math.max(1, duration.toSeconds()));
    }
}
