package io.pgwarden.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntaxErrorTest {

    @TempDir
    Path dir;

    @Test
    void syntaxErrorInAFileNamesTheFileAndLine() throws IOException {
        Path file = Files.writeString(dir.resolve("pgwarden.conf"), """
                pgwarden {
                  health {
                    interval = 250ms
                  }
                  failover {
                    mode = automatic
                """);
        InvalidConfigException rejected = catchThrowableOfType(InvalidConfigException.class,
                () -> new SettingsLoader(Map.of()).load(file));
        assertThat(rejected.problems()).hasSize(1);
        ConfigProblem problem = rejected.problems().get(0);
        assertThat(problem.key()).isEmpty();
        assertThat(problem.location()).contains(file + ":7");
        assertThat(problem.message()).startsWith("syntax error: ");
        assertThat(problem.describe()).startsWith(file + ":7: syntax error: ");
    }

    @Test
    void syntaxErrorInTextNamesTheLine() {
        InvalidConfigException rejected = catchThrowableOfType(InvalidConfigException.class,
                () -> Loading.parse("pgwarden {\n  health.interval = = 5\n}"));
        assertThat(rejected.problems()).singleElement()
                .satisfies(problem -> assertThat(problem.describe()).startsWith("line 2: syntax error: ")
                        .doesNotContain(".properties"));
    }

    @Test
    void missingFileIsOneProblemNamingThePath() {
        Path absent = dir.resolve("absent.conf");
        InvalidConfigException rejected = catchThrowableOfType(InvalidConfigException.class,
                () -> new SettingsLoader(Map.of()).load(absent));
        assertThat(rejected.problems()).extracting(ConfigProblem::describe)
                .containsExactly(absent + ": cannot read configuration file: no such readable file");
    }

    @Test
    void valueProblemsInAFileAreLocatedByFileAndLine() throws IOException {
        Path file = Files.writeString(dir.resolve("pgwarden.conf"), """
                pgwarden {
                  # comment lines count too
                  health.failures-before-down = 0
                }
                """);
        InvalidConfigException rejected = catchThrowableOfType(InvalidConfigException.class,
                () -> new SettingsLoader(Map.of()).load(file));
        assertThat(rejected.problems()).extracting(ConfigProblem::describe).containsExactly(
                file + ":3: pgwarden.health.failures-before-down = 0: must be at least 1");
    }

    @Test
    void includedFilesAreResolvedRelativeToTheIncludingFile() throws IOException {
        Files.writeString(dir.resolve("backends.conf"), """
                pgwarden.backends = [ { name = pg1, host = localhost, port = 99999 } ]
                """);
        Path file = Files.writeString(dir.resolve("pgwarden.conf"), "include \"backends.conf\"\n");
        InvalidConfigException rejected = catchThrowableOfType(InvalidConfigException.class,
                () -> new SettingsLoader(Map.of()).load(file));
        assertThat(rejected.problems()).extracting(ConfigProblem::describe).containsExactly(
                dir.resolve("backends.conf") + ":1: pgwarden.backends[0].port = 99999: not a port (1-65535)");
    }

    @Test
    void substitutionCycleIsReported() {
        InvalidConfigException rejected = catchThrowableOfType(InvalidConfigException.class,
                () -> Loading.parse("a = ${b}\nb = ${a}\npgwarden.logging.level = ${a}"));
        assertThat(rejected.problems()).hasSize(1);
        assertThat(rejected.problems().get(0).key()).isEmpty();
    }

    @Test
    void rootThatIsNotAnObjectIsReported() {
        assertThat(Loading.linesOf("pgwarden = 5"))
                .containsExactly("pgwarden = 5: not an object (a { ... } block)");
    }
}
