package io.pgwarden.cluster;

import io.pgwarden.cluster.ClusterSettings.BinarySelection;
import io.pgwarden.cluster.PgBinaries.Origin;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the PostgreSQL binaries: {@code PGWARDEN_PG_BIN}, else {@code pg_config --bindir}, else the newest
 * {@code /usr/lib/postgresql/<version>/bin}, else the Maven Central binaries.
 */
final class PgBinariesLocator {
    private static final Logger log = LoggerFactory.getLogger(PgBinariesLocator.class);

    static final String ENV_VAR = "PGWARDEN_PG_BIN";
    static final Path DEBIAN_INSTALL_ROOT = Path.of("/usr/lib/postgresql");
    private static final List<String> REQUIRED_PROGRAMS = List.of("postgres", "initdb", "pg_ctl");
    private static final Pattern INSTALL_DIR_VERSION = Pattern.compile("(\\d+)(?:\\.(\\d+))?");
    private static final Pattern SERVER_VERSION = Pattern.compile("\\(PostgreSQL\\) ((\\d+)\\S*)");
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

    /** A directory that holds the required programs, and how it was found. */
    record Candidate(Path binDir, Origin origin) {
    }

    private final Map<String, String> environment;
    private final Path installRoot;
    private final CommandRunner runner;
    private final Supplier<Path> mavenBinDir;

    /**
     * @param environment the process environment ({@code PGWARDEN_PG_BIN}, {@code PATH})
     * @param installRoot where distributions install versioned directories, {@code /usr/lib/postgresql}
     * @param runner runs {@code pg_config} and {@code postgres --version}
     * @param mavenBinDir extracts the Maven Central binaries on demand and returns their bin directory
     */
    PgBinariesLocator(Map<String, String> environment, Path installRoot, CommandRunner runner,
            Supplier<Path> mavenBinDir) {
        this.environment = Map.copyOf(environment);
        this.installRoot = installRoot;
        this.runner = runner;
        this.mavenBinDir = mavenBinDir;
    }

    /** Finds the binaries and asks them for their version. */
    PgBinaries locate(BinarySelection selection) {
        Candidate candidate = find(selection);
        PgBinaries binaries = withVersion(candidate);
        log.info("using {}", binaries);
        return binaries;
    }

    /** Finds the binaries without running them. */
    Candidate find(BinarySelection selection) {
        if (selection instanceof BinarySelection.Directory directory) {
            requireComplete(directory.binDir(), "the binary directory given to the cluster builder");
            return new Candidate(directory.binDir(), Origin.EXPLICIT);
        }
        if (selection instanceof BinarySelection.Maven) {
            return new Candidate(mavenBinDir.get(), Origin.MAVEN);
        }
        return discover();
    }

    private Candidate discover() {
        String fromEnvironment = environment.get(ENV_VAR);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            // Someone asked for these binaries by name: a mistake there is an error, not a reason to pick others.
            Path binDir = Path.of(fromEnvironment).toAbsolutePath();
            requireComplete(binDir, ENV_VAR + "=" + fromEnvironment);
            return new Candidate(binDir, Origin.ENVIRONMENT);
        }
        Optional<Path> fromPgConfig = pgConfigBinDir();
        if (fromPgConfig.isPresent()) {
            if (isComplete(fromPgConfig.get())) {
                return new Candidate(fromPgConfig.get(), Origin.PG_CONFIG);
            }
            // Client-only packages (libpq-dev) ship pg_config without a server.
            log.debug("pg_config names {}, which holds no server; looking further", fromPgConfig.get());
        }
        Optional<Path> installed = newestInstalled();
        if (installed.isPresent()) {
            return new Candidate(installed.get(), Origin.INSTALLED);
        }
        log.info("no PostgreSQL installation found ({} unset, no server via pg_config, none in {}); "
                + "using the binaries from Maven Central", ENV_VAR, installRoot);
        return new Candidate(mavenBinDir.get(), Origin.MAVEN);
    }

    /** {@code pg_config --bindir} of the first {@code pg_config} on the {@code PATH}, as a shell would pick it. */
    private Optional<Path> pgConfigBinDir() {
        String path = environment.getOrDefault("PATH", "");
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path pgConfig;
            try {
                pgConfig = Path.of(entry).resolve("pg_config");
            } catch (InvalidPathException e) {
                continue;
            }
            if (!Files.isRegularFile(pgConfig) || !Files.isExecutable(pgConfig)) {
                continue;
            }
            try {
                CommandResult result = runner.run(List.of(pgConfig.toString(), "--bindir"), Map.of(),
                        Path.of(System.getProperty("java.io.tmpdir")), PROBE_TIMEOUT);
                String output = result.output().strip();
                if (result.succeeded() && !output.isEmpty() && !output.contains("\n")) {
                    return Optional.of(Path.of(output).toAbsolutePath());
                }
                log.debug("ignoring pg_config: {}", result.describe());
            } catch (LocalClusterException | InvalidPathException e) {
                log.debug("ignoring {}: {}", pgConfig, e.getMessage());
            }
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The complete {@code <installRoot>/<version>/bin} with the highest version. */
    private Optional<Path> newestInstalled() {
        if (!Files.isDirectory(installRoot)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(installRoot)) {
            return versions
                    .filter(dir -> INSTALL_DIR_VERSION.matcher(dir.getFileName().toString()).matches())
                    .sorted(Comparator.comparing((Path dir) -> versionKey(dir.getFileName().toString())).reversed())
                    .map(dir -> dir.resolve("bin"))
                    .filter(PgBinariesLocator::isComplete)
                    .findFirst();
        } catch (IOException e) {
            log.debug("cannot list {}: {}", installRoot, e.toString());
            return Optional.empty();
        }
    }

    /** Orders "9.6" before "10" before "15": numerically, major then minor. */
    private static Long versionKey(String name) {
        Matcher matcher = INSTALL_DIR_VERSION.matcher(name);
        if (!matcher.matches()) {
            return -1L;
        }
        long major = Long.parseLong(matcher.group(1));
        long minor = matcher.group(2) == null ? 0 : Long.parseLong(matcher.group(2));
        return major * 1_000_000 + minor;
    }

    static boolean isComplete(Path binDir) {
        return REQUIRED_PROGRAMS.stream().map(binDir::resolve)
                .allMatch(program -> Files.isRegularFile(program) && Files.isExecutable(program));
    }

    private static void requireComplete(Path binDir, String source) {
        List<String> missing = REQUIRED_PROGRAMS.stream()
                .filter(name -> !Files.isRegularFile(binDir.resolve(name)) || !Files.isExecutable(binDir.resolve(name)))
                .toList();
        if (!missing.isEmpty()) {
            throw new LocalClusterException("no usable PostgreSQL binaries in " + binDir + " (from " + source
                    + "): missing or not executable: " + String.join(", ", missing));
        }
    }

    private PgBinaries withVersion(Candidate candidate) {
        Path postgres = candidate.binDir().resolve("postgres");
        CommandResult result = runner.run(List.of(postgres.toString(), "--version"), Map.of(),
                Path.of(System.getProperty("java.io.tmpdir")), PROBE_TIMEOUT);
        if (!result.succeeded()) {
            throw new LocalClusterException("PostgreSQL binaries in " + candidate.binDir() + " (" + candidate.origin()
                    + ") do not run: " + result.describe());
        }
        Matcher matcher = SERVER_VERSION.matcher(result.output());
        if (!matcher.find()) {
            throw new LocalClusterException("cannot read the version of " + postgres + " from: " + result.output());
        }
        int major = Integer.parseInt(matcher.group(2));
        if (major < PgBinaries.MIN_MAJOR_VERSION) {
            throw new LocalClusterException("PostgreSQL " + matcher.group(1) + " in " + candidate.binDir()
                    + " is too old: the local cluster needs " + PgBinaries.MIN_MAJOR_VERSION + " or newer");
        }
        return new PgBinaries(candidate.binDir(), candidate.origin(), matcher.group(1), major);
    }
}
