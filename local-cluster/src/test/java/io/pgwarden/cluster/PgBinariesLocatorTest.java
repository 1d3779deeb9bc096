package io.pgwarden.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgwarden.cluster.ClusterSettings.BinarySelection;
import io.pgwarden.cluster.PgBinaries.Origin;
import io.pgwarden.cluster.PgBinariesLocator.Candidate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery order over a fake file system of shell scripts standing in for the PostgreSQL programs. */
class PgBinariesLocatorTest {
    private static final List<String> SERVER_PROGRAMS = List.of("postgres", "initdb", "pg_ctl");

    @TempDir
    Path root;

    private Path installRoot;
    private Path mavenBinDir;
    private final AtomicInteger mavenExtractions = new AtomicInteger();
    private final Map<String, String> environment = new HashMap<>();

    @BeforeEach
    void emptyMachine() throws IOException {
        installRoot = Files.createDirectories(root.resolve("usr/lib/postgresql"));
        mavenBinDir = serverBinDir(root.resolve("maven/bin"), "15.6");
        environment.put("PATH", Files.createDirectories(root.resolve("empty-path")).toString());
    }

    private PgBinariesLocator locator() {
        return new PgBinariesLocator(environment, installRoot, new CommandRunner(), () -> {
            mavenExtractions.incrementAndGet();
            return mavenBinDir;
        });
    }

    private Candidate discover() {
        return locator().find(BinarySelection.discover());
    }

    /** A bin directory whose postgres prints {@code version}, like the real one. */
    private static Path serverBinDir(Path dir, String version) throws IOException {
        Files.createDirectories(dir);
        for (String program : SERVER_PROGRAMS) {
            script(dir.resolve(program), "echo 'postgres (PostgreSQL) " + version + "'");
        }
        return dir;
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A pg_config on a PATH directory that reports {@code binDir}. */
    private Path pgConfigOnPath(Path binDir) throws IOException {
        Path pathDir = Files.createDirectories(root.resolve("pg-config-path"));
        script(pathDir.resolve("pg_config"), "[ \"$1\" = --bindir ] && echo '" + binDir + "'");
        environment.put("PATH", root.resolve("empty-path") + ":" + pathDir);
        return pathDir;
    }

    @Test
    void environmentVariableWinsOverEverythingElse() throws IOException {
        Path fromEnvironment = serverBinDir(root.resolve("custom/bin"), "16.2");
        environment.put(PgBinariesLocator.ENV_VAR, fromEnvironment.toString());
        pgConfigOnPath(serverBinDir(root.resolve("pg-config-target/bin"), "15.1"));
        serverBinDir(installRoot.resolve("15/bin"), "15.1");

        assertThat(discover()).isEqualTo(new Candidate(fromEnvironment, Origin.ENVIRONMENT));
    }

    @Test
    void environmentVariableNamingAnIncompleteDirectoryIsAnError() throws IOException {
        Path incomplete = Files.createDirectories(root.resolve("incomplete"));
        script(incomplete.resolve("postgres"), "true");
        environment.put(PgBinariesLocator.ENV_VAR, incomplete.toString());
        serverBinDir(installRoot.resolve("15/bin"), "15.1");

        assertThatThrownBy(this::discover)
                .isInstanceOf(LocalClusterException.class)
                .hasMessageContaining(PgBinariesLocator.ENV_VAR)
                .hasMessageContaining("initdb, pg_ctl");
    }

    @Test
    void pgConfigOnThePathComesBeforeTheInstallDirectories() throws IOException {
        Path target = serverBinDir(root.resolve("pg-config-target/bin"), "14.3");
        pgConfigOnPath(target);
        serverBinDir(installRoot.resolve("16/bin"), "16.1");

        assertThat(discover()).isEqualTo(new Candidate(target, Origin.PG_CONFIG));
    }

    @Test
    void pgConfigOfAClientOnlyPackageIsSkipped() throws IOException {
        pgConfigOnPath(Files.createDirectories(root.resolve("client-only/bin")));
        Path installed = serverBinDir(installRoot.resolve("15/bin"), "15.1");

        assertThat(discover()).isEqualTo(new Candidate(installed, Origin.INSTALLED));
    }

    @Test
    void newestCompleteInstallDirectoryWinsByNumericVersion() throws IOException {
        serverBinDir(installRoot.resolve("9.6/bin"), "9.6.24");
        serverBinDir(installRoot.resolve("10/bin"), "10.23");
        Path fifteen = serverBinDir(installRoot.resolve("15/bin"), "15.1");
        Files.createDirectories(installRoot.resolve("16/bin"));
        script(installRoot.resolve("16/bin/postgres"), "true");
        Files.createDirectories(installRoot.resolve("not-a-version/bin"));

        assertThat(discover()).isEqualTo(new Candidate(fifteen, Origin.INSTALLED));
    }

    @Test
    void mavenBinariesAreTheLastResortAndExtractedOnlyThen() throws IOException {
        serverBinDir(installRoot.resolve("15/bin"), "15.1");
        discover();
        assertThat(mavenExtractions).hasValue(0);

        Files.walk(installRoot).sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());

        assertThat(discover()).isEqualTo(new Candidate(mavenBinDir, Origin.MAVEN));
        assertThat(mavenExtractions).hasValue(1);
    }

    @Test
    void mavenBinariesCanBeForcedWhileOthersAreInstalled() throws IOException {
        environment.put(PgBinariesLocator.ENV_VAR, serverBinDir(root.resolve("custom/bin"), "16.2").toString());
        serverBinDir(installRoot.resolve("15/bin"), "15.1");

        assertThat(locator().find(BinarySelection.maven())).isEqualTo(new Candidate(mavenBinDir, Origin.MAVEN));
    }

    @Test
    void explicitDirectoryIsUsedAsIsAndMustBeComplete() throws IOException {
        Path explicit = serverBinDir(root.resolve("explicit/bin"), "15.1");
        assertThat(locator().find(BinarySelection.directory(explicit)))
                .isEqualTo(new Candidate(explicit, Origin.EXPLICIT));

        Path empty = Files.createDirectories(root.resolve("empty"));
        assertThatThrownBy(() -> locator().find(BinarySelection.directory(empty)))
                .isInstanceOf(LocalClusterException.class)
                .hasMessageContaining("postgres, initdb, pg_ctl");
    }

    @Test
    void locateReadsTheVersionFromThePostgresProgram() throws IOException {
        Path explicit = serverBinDir(root.resolve("explicit/bin"), "15.6 (Debian 15.6-0+deb12u1)");

        PgBinaries binaries = locator().locate(BinarySelection.directory(explicit));

        assertThat(binaries.version()).isEqualTo("15.6");
        assertThat(binaries.majorVersion()).isEqualTo(15);
        assertThat(binaries.origin()).isEqualTo(Origin.EXPLICIT);
    }

    @Test
    void versionsBefore12AreRefused() throws IOException {
        Path old = serverBinDir(root.resolve("old/bin"), "11.22");

        assertThatThrownBy(() -> locator().locate(BinarySelection.directory(old)))
                .isInstanceOf(LocalClusterException.class)
                .hasMessageContaining("11.22")
                .hasMessageContaining("12 or newer");
    }
}
