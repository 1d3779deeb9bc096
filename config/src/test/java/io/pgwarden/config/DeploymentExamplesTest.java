package io.pgwarden.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/pgwarden-production.conf and examples/pgwarden-external.conf are meant to be copied
 * and adapted: they must load, and say what they claim to say.
 */
class DeploymentExamplesTest {

    private static final Path PRODUCTION = Path.of("../examples/pgwarden-production.conf");
    private static final Path EXTERNAL = Path.of("../examples/pgwarden-external.conf");
    private static final Path SCRIPTS = Path.of("../examples/scripts");
    private static final Path DOCS = Path.of("../docs");

    private static final Map<String, String> SECRETS = Map.of(
            "PGWARDEN_ADMIN_TOKEN", "tok-7f3a", "PGWARDEN_MONITOR_PASSWORD", "pw-91c2");

    /** The production example names TLS files under /etc/pgwarden/tls; here they do not exist. */
    private static final List<String> TLS_FILE_KEYS = List.of(
            "pgwarden.admin.tls.cert-file", "pgwarden.admin.tls.key-file",
            "pgwarden.tls.client.cert-file", "pgwarden.tls.client.key-file", "pgwarden.tls.backend.ca-file");

    @TempDir
    Path tls;

    @Test
    void productionExampleIsValidOnceItsTlsFilesExist() throws IOException {
        PgwardenSettings settings = new SettingsLoader(SECRETS).load(withTlsFilesIn(tls)).requireRunnable();

        assertThat(settings.backends()).extracting(BackendSettings::name).containsExactly("pg1", "pg2", "pg3");
        assertThat(settings.backends()).extracting(BackendSettings::priority).containsExactly(100, 100, 50);
        assertThat(settings.listeners()).extracting(ListenerSettings::host).containsOnly("0.0.0.0");
        assertThat(settings.failover().mode()).isEqualTo(FailoverMode.AUTOMATIC);
        assertThat(settings.failover().autoRejoin()).isTrue();
        assertThat(settings.tls().client().mode()).isEqualTo(ClientTlsMode.REQUIRE);
        assertThat(settings.tls().backend().mode()).isEqualTo(BackendTlsMode.VERIFY_FULL);
        assertThat(settings.admin().tls().enabled()).isTrue();
        assertThat(settings.admin().readRequiresToken()).isTrue();
        assertThat(settings.admin().token()).contains(new Secret("tok-7f3a"));
        assertThat(settings.monitor().password()).contains(new Secret("pw-91c2"));
    }

    @Test
    void productionExampleFailsOnlyForItsMissingTlsFiles() {
        InvalidConfigException rejected = catchThrowableOfType(InvalidConfigException.class,
                () -> new SettingsLoader(SECRETS).load(PRODUCTION));
        assertThat(rejected.problems()).extracting(ConfigProblem::key).containsExactlyInAnyOrderElementsOf(TLS_FILE_KEYS);
        assertThat(rejected.problems()).extracting(ConfigProblem::message).containsOnly("not a readable file");
    }

    @Test
    void productionExampleTakesTheAdminTokenFromTheEnvironment() throws IOException {
        Path file = withTlsFilesIn(tls);
        InvalidConfigException rejected = catchThrowableOfType(InvalidConfigException.class,
                () -> new SettingsLoader(Map.of()).load(file));
        assertThat(rejected.problems()).extracting(ConfigProblem::key)
                .containsExactly("pgwarden.admin.read-requires-token");
        assertThat(Files.readString(PRODUCTION)).doesNotContain("tok-7f3a", "pw-91c2");
    }

    @Test
    void productionExampleRunsTheShippedScripts() throws IOException {
        PgwardenSettings settings = new SettingsLoader(SECRETS).load(withTlsFilesIn(tls));
        FailoverSettings failover = settings.failover();
        List<Optional<String>> commands = List.of(failover.promote().command(), failover.fence().command(),
                failover.follow().command(), failover.rejoin().command());
        assertThat(commands).allSatisfy(command -> {
            assertThat(command).isPresent();
            Path script = Path.of(command.get());
            assertThat(script.getParent()).isEqualTo(Path.of("/etc/pgwarden/scripts"));
            assertThat(SCRIPTS.resolve(script.getFileName())).as("%s in examples/scripts", script.getFileName())
                    .isRegularFile().isExecutable();
        });
    }

    @Test
    void externalExampleIsValidAndNeverPromotes() {
        PgwardenSettings settings = new SettingsLoader(SECRETS).load(EXTERNAL).requireRunnable();

        assertThat(settings.failover().mode()).isEqualTo(FailoverMode.EXTERNAL);
        assertThat(settings.backends()).extracting(BackendSettings::name).containsExactly("pg-a", "pg-b", "pg-c");
        // In external mode another manager promotes and re-points standbys: no scripts for that.
        assertThat(Stream.of(settings.failover().promote(), settings.failover().follow(), settings.failover().fence(),
                settings.failover().rejoin())).allSatisfy(action -> assertThat(action.command()).isEmpty());
        assertThat(settings.failover().onStateChange().command()).hasValueSatisfying(
                command -> assertThat(command).startsWith("logger"));
        assertThat(settings.summary()).contains("failover external");
    }

    @Test
    void externalExampleNeedsNoSecretsToLoad() {
        PgwardenSettings settings = new SettingsLoader(Map.of()).load(EXTERNAL);
        assertThat(settings.admin().token()).isEmpty();
        assertThat(settings.monitor().password()).isEmpty();
    }

    @Test
    void configurationFilesShownInTheDocsAreValid() throws IOException {
        Pattern block = Pattern.compile("```hocon\n(.*?)```", Pattern.DOTALL);
        List<String> blocks = new ArrayList<>();
        try (Stream<Path> pages = Files.list(DOCS)) {
            for (Path page : pages.filter(file -> file.toString().endsWith(".md")).sorted().toList()) {
                Matcher matcher = block.matcher(Files.readString(page));
                while (matcher.find()) {
                    blocks.add(matcher.group(1));
                }
            }
        }
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(2);
        SettingsLoader loader = new SettingsLoader(SECRETS);
        assertThat(blocks).allSatisfy(hocon -> assertThat(loader.parse(hocon).requireRunnable().backends()).isNotEmpty());
    }

    /**
     * A file that includes the production example and points its TLS settings at readable
     * files, so the rest of the example is validated exactly as written.
     */
    private static Path withTlsFilesIn(Path directory) throws IOException {
        StringBuilder hocon = new StringBuilder("include file(\"")
                .append(PRODUCTION.toAbsolutePath().normalize()).append("\")\n");
        for (String key : TLS_FILE_KEYS) {
            Path file = Files.writeString(directory.resolve(key.replace('.', '_') + ".pem"), "placeholder\n");
            hocon.append(key).append(" = \"").append(file).append("\"\n");
        }
        return Files.writeString(directory.resolve("production-with-tls-files.conf"), hocon.toString());
    }
}
