package io.pgwarden.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link LocalCluster} starts. Build with {@link #builder()}; {@link #defaults()} is a primary and
 * two standbys with SCRAM-SHA-256 authentication and the fast (non-durable) settings.
 *
 * @param standbys number of streaming standbys besides the primary, 0 to 16
 * @param authMethod authentication method of every {@code pg_hba.conf} line
 * @param superuser name of the bootstrap superuser, used by the launcher and for replication
 * @param password password of the superuser
 * @param binaries where the PostgreSQL binaries come from
 * @param durable false (the default) turns {@code fsync} off and runs {@code initdb --no-sync}: fast,
 *     and data still survive a crash of PostgreSQL, but not of the operating system
 * @param settings extra server settings ({@code postgresql.conf} names), applied after the launcher's own
 * @param baseDir directory holding extracted binaries and cluster directories; it must be short enough for
 *     Unix socket paths and, when running as root, traversable by the server user
 * @param serverUserWhenRoot operating system user that runs the servers when the JVM runs as root
 * @param startTimeout how long a server may take to start, crash recovery included (default 2 minutes, generous
 *     because test machines are often overloaded)
 * @param operationTimeout how long any other operation may take: stop, promote, follow, replay waits, SQL
 *     (default 1 minute)
 */
public record ClusterSettings(
        int standbys,
        AuthMethod authMethod,
        String superuser,
        String password,
        BinarySelection binaries,
        boolean durable,
        Map<String, String> settings,
        Path baseDir,
        String serverUserWhenRoot,
        Duration startTimeout,
        Duration operationTimeout) {

    /** Settings the launcher owns per node; overriding them would break the cluster. */
    static final Set<String> RESERVED_SETTINGS = Set.of(
            "port", "listen_addresses", "unix_socket_directories", "cluster_name", "primary_conninfo",
            "hba_file", "ident_file", "data_directory", "config_file", "password_encryption");

    public ClusterSettings {
        if (standbys < 0 || standbys > 16) {
            throw new IllegalArgumentException("standbys must be between 0 and 16, got " + standbys);
        }
        Objects.requireNonNull(authMethod, "authMethod");
        requireText(superuser, "superuser");
        requireText(password, "password");
        Objects.requireNonNull(binaries, "binaries");
        Objects.requireNonNull(settings, "settings");
        for (String name : settings.keySet()) {
            if (RESERVED_SETTINGS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(
                        "setting '" + name + "' is managed by the launcher and cannot be overridden");
            }
        }
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        baseDir = Objects.requireNonNull(baseDir, "baseDir").toAbsolutePath();
        requireText(serverUserWhenRoot, "serverUserWhenRoot");
        requirePositive(startTimeout, "startTimeout");
        requirePositive(operationTimeout, "operationTimeout");
    }

    /** Like the generated one, without the password. */
    @Override
    public String toString() {
        return "ClusterSettings[standbys=" + standbys + ", authMethod=" + authMethod + ", superuser=" + superuser
                + ", binaries=" + binaries + ", durable=" + durable + ", settings=" + settings + ", baseDir="
                + baseDir + ", serverUserWhenRoot=" + serverUserWhenRoot + ", startTimeout=" + startTimeout
                + ", operationTimeout=" + operationTimeout + "]";
    }

    public static ClusterSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The default base directory: {@code ${java.io.tmpdir}/pgwarden-<user name>}. */
    public static Path defaultBaseDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "pgwarden-" + System.getProperty("user.name"));
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** Where the PostgreSQL binaries come from. */
    public sealed interface BinarySelection {

        /**
         * {@code PGWARDEN_PG_BIN}, else {@code pg_config --bindir}, else the newest
         * {@code /usr/lib/postgresql/<version>/bin}, else the binaries from Maven Central on the class path.
         */
        static BinarySelection discover() {
            return new Discover();
        }

        /** The binaries published on Maven Central ({@code io.zonky.test.postgres}), even if others are installed. */
        static BinarySelection maven() {
            return new Maven();
        }

        /** A directory holding {@code postgres}, {@code initdb} and {@code pg_ctl}. */
        static BinarySelection directory(Path binDir) {
            return new Directory(binDir);
        }

        record Discover() implements BinarySelection {
        }

        record Maven() implements BinarySelection {
        }

        record Directory(Path binDir) implements BinarySelection {
            public Directory {
                binDir = Objects.requireNonNull(binDir, "binDir").toAbsolutePath();
            }
        }
    }

    /** Fluent builder; every value has a default. */
    public static final class Builder {
        private int standbys = 2;
        private AuthMethod authMethod = AuthMethod.SCRAM_SHA_256;
        private String superuser = "postgres";
        private String password = "postgres";
        private BinarySelection binaries = BinarySelection.discover();
        private boolean durable;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Path baseDir = defaultBaseDir();
        private String serverUserWhenRoot = "postgres";
        private Duration startTimeout = Duration.ofSeconds(120);
        private Duration operationTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        public Builder standbys(int standbys) {
            this.standbys = standbys;
            return this;
        }

        public Builder authMethod(AuthMethod authMethod) {
            this.authMethod = authMethod;
            return this;
        }

        public Builder superuser(String superuser, String password) {
            this.superuser = superuser;
            this.password = password;
            return this;
        }

        public Builder discoverBinaries() {
            this.binaries = BinarySelection.discover();
            return this;
        }

        public Builder mavenBinaries() {
            this.binaries = BinarySelection.maven();
            return this;
        }

        public Builder binDir(Path binDir) {
            this.binaries = BinarySelection.directory(binDir);
            return this;
        }

        public Builder durable(boolean durable) {
            this.durable = durable;
            return this;
        }

        /** An extra server setting for every node, e.g. {@code setting("wal_sender_timeout", "5s")}. */
        public Builder setting(String name, String value) {
            settings.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public Builder baseDir(Path baseDir) {
            this.baseDir = baseDir;
            return this;
        }

        public Builder serverUserWhenRoot(String serverUserWhenRoot) {
            this.serverUserWhenRoot = serverUserWhenRoot;
            return this;
        }

        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        public Builder operationTimeout(Duration operationTimeout) {
            this.operationTimeout = operationTimeout;
            return this;
        }

        public ClusterSettings build() {
            return new ClusterSettings(standbys, authMethod, superuser, password, binaries, durable, settings,
                    baseDir, serverUserWhenRoot, startTimeout, operationTimeout);
        }
    }
}
