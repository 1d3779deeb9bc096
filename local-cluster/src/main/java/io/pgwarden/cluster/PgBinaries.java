package io.pgwarden.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The PostgreSQL programs a cluster runs.
 *
 * @param binDir directory holding {@code postgres}, {@code initdb}, {@code pg_ctl} and whatever client tools
 *     the distribution ships
 * @param origin how the directory was found
 * @param version the full version reported by {@code postgres --version}, e.g. {@code 15.6}
 * @param majorVersion the major version, e.g. 15
 */
public record PgBinaries(Path binDir, Origin origin, String version, int majorVersion) {

    /** Oldest major version the launcher drives (standby.signal, pg_promote()). */
    static final int MIN_MAJOR_VERSION = 12;

    public PgBinaries {
        binDir = Objects.requireNonNull(binDir, "binDir").toAbsolutePath();
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(version, "version");
    }

    /** How the binaries were found, in the order discovery tries them. */
    public enum Origin {
        /** Given to the builder. */
        EXPLICIT,
        /** The {@code PGWARDEN_PG_BIN} environment variable. */
        ENVIRONMENT,
        /** {@code pg_config --bindir} of the first {@code pg_config} on the {@code PATH}. */
        PG_CONFIG,
        /** The newest {@code /usr/lib/postgresql/<version>/bin}. */
        INSTALLED,
        /** Extracted from the {@code io.zonky.test.postgres} jar on the class path. */
        MAVEN
    }

    public Path postgres() {
        return binDir.resolve("postgres");
    }

    public Path initdb() {
        return binDir.resolve("initdb");
    }

    public Path pgCtl() {
        return binDir.resolve("pg_ctl");
    }

    /** {@code pg_rewind}; the Maven binaries do not ship it. */
    public Optional<Path> pgRewind() {
        return tool("pg_rewind");
    }

    /** {@code psql}, for tests that use the real client; the Maven binaries do not ship it. */
    public Optional<Path> psql() {
        return tool("psql");
    }

    /** {@code pgbench}; the Maven binaries do not ship it. */
    public Optional<Path> pgbench() {
        return tool("pgbench");
    }

    /** A program in {@link #binDir()}, if it is there and executable. */
    public Optional<Path> tool(String name) {
        Path path = binDir.resolve(name);
        return Files.isRegularFile(path) && Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
    }

    @Override
    public String toString() {
        return "PostgreSQL " + version + " in " + binDir + " (" + origin + ")";
    }
}
