package io.pgwarden.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckConfigCommandTest {

    private static final Path EXAMPLES = Path.of("..", "examples");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = PgwardenCommand.newCommandLine();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    @Test
    void exampleConfigIsValidAndSummarisedOnOneLine() {
        int status = run("check-config", EXAMPLES.resolve("pgwarden.conf").toString());

        assertThat(status).as("stderr: %s", err).isZero();
        assertThat(out.toString().strip().lines()).hasSize(1);
        assertThat(out.toString()).contains("valid").contains("listener").contains("backend");
    }

    @Test
    void brokenConfigReportsEveryProblemWithItsKeyPathAndExitsTwo() {
        int status = run("check-config", EXAMPLES.resolve("broken.conf").toString());

        assertThat(status).isEqualTo(2);
        String report = err.toString();
        assertThat(report).contains("3 problems");
        assertThat(report.lines().filter(line -> line.startsWith("  ") && line.contains(": pgwarden."))).hasSize(3);
    }

    @Test
    void missingFileIsAProblemNotAStackTrace(@TempDir Path dir) {
        int status = run("check-config", dir.resolve("nope.conf").toString());

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("nope.conf").doesNotContain("Exception");
    }

    @Test
    void configWithoutBackendsCannotRun(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("empty.conf"), "pgwarden { }\n");

        int status = run("check-config", file.toString());

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("pgwarden.backends");
    }

    @Test
    void unknownSubcommandIsAUsageError() {
        assertThat(run("frobnicate")).isEqualTo(2);
    }

    @Test
    void versionNamesTheProduct() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("pgwarden ");
    }
}
