package io.pgwarden.server.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.pgwarden.config.ListenerSettings;
import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.config.SettingsLoader;
import io.pgwarden.server.PgwardenCommand;
import io.pgwarden.server.packaging.Dockerfile.Instruction;
import io.pgwarden.server.packaging.Dockerfile.Stage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerfile, checked for its structure since no Docker engine runs here: a Maven build
 * stage and a JRE runtime stage, a non-root user, the default ports, a HEALTHCHECK that works
 * with what the runtime image has, the mounted configuration, and no secrets. The two small
 * programs it carries as here-documents (the health check client and the launcher) are run.
 */
class DockerfileTest {

    private static final Path ROOT = Path.of("..");
    private static final String CONFIG_FILE = "/etc/pgwarden/pgwarden.conf";
    private static final Pattern JAVA_VERSION = Pattern.compile("(?:temurin-|temurin:|java)(\\d+)");
    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S*)");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(TOKEN|PASSWORD|PASSWD|SECRET|PRIVATE|CREDENTIAL).*");
    private static final Pattern SECRET_FILE = Pattern.compile(
            "(?i)(^|/)(\\.env(\\..*)?|\\.pgpass|id_rsa.*|id_ed25519.*|.*\\.(pem|key|p12|pfx|jks))$");

    private static Dockerfile dockerfile;
    private static PgwardenSettings defaults;

    @TempDir
    Path temp;

    @BeforeAll
    static void read() throws IOException {
        dockerfile = Dockerfile.parse(Files.readString(ROOT.resolve("Dockerfile")));
        defaults = new SettingsLoader(Map.of()).defaults();
    }

    @Test
    void buildsWithMavenThenRunsOnAJreOfVersion21OrLater() {
        assertThat(dockerfile.stages()).hasSizeGreaterThanOrEqualTo(2);
        Stage build = dockerfile.stages().get(0);
        assertThat(build.image()).startsWith("maven:");
        assertThat(build.name()).contains("build");
        Stage runtime = dockerfile.finalStage();
        assertThat(runtime.image()).matches("eclipse-temurin:\\d+-jre.*|gcr\\.io/distroless/java\\d+.*");
        assertThat(javaVersion(build.image())).isGreaterThanOrEqualTo(21);
        assertThat(javaVersion(runtime.image())).isGreaterThanOrEqualTo(21);
    }

    @Test
    void buildStageCompilesTheServerJarWithoutTests() {
        Stage build = dockerfile.stage("build");
        assertThat(build.all("RUN")).anySatisfy(run -> assertThat(run.arguments())
                .contains("mvn ", "-B", "-DskipTests", "-pl server", "-am", "package"));
        assertThat(dockerfile.finalStage().all("COPY")).anySatisfy(copy -> assertThat(copy.arguments())
                .startsWith("--from=build ").contains("/server/target/pgwarden.jar"));
    }

    @Test
    void buildStageCopiesEveryModuleOfTheReactor() throws IOException {
        // Maven reads every module of the reactor even for -pl server: one missing and the build fails.
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        List<String> modules = new ArrayList<>();
        while (module.find()) {
            modules.add(module.group(1).trim());
        }
        assertThat(modules).contains("config", "server");
        List<String> copied = dockerfile.stage("build").all("COPY").stream().map(Instruction::arguments).toList();
        assertThat(copied).contains("pom.xml ./");
        for (String name : modules) {
            assertThat(copied).as("COPY of module %s", name).contains(name + "/ " + name + "/");
        }
    }

    @Test
    void runsAsAFixedNonRootUser() {
        Stage runtime = dockerfile.finalStage();
        Instruction user = runtime.last("USER").orElseThrow(() -> new AssertionError("no USER in the runtime stage"));
        // Numeric, so that Kubernetes' runAsNonRoot can check it without a passwd lookup.
        assertThat(user.arguments()).matches("\\d+(:\\d+)?");
        String uid = user.arguments().split(":")[0];
        assertThat(Integer.parseInt(uid)).isPositive();
        assertThat(runtime.instructions().indexOf(user))
                .as("USER comes after every RUN, so nothing runs as root afterwards")
                .isGreaterThan(runtime.instructions().indexOf(runtime.last("RUN").orElseThrow()));
        assertThat(runtime.all("RUN")).anySatisfy(run -> assertThat(run.arguments())
                .contains("--uid " + uid).contains("chown " + uid));
    }

    @Test
    void exposesTheDefaultListenerAndAdminPorts() {
        Set<Integer> exposed = dockerfile.finalStage().all("EXPOSE").stream()
                .flatMap(expose -> Stream.of(expose.arguments().split("\\s+")))
                .map(port -> Integer.parseInt(port.replace("/tcp", "")))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<Integer> defaultPorts = new TreeSet<>();
        defaults.listeners().stream().map(ListenerSettings::port).forEach(defaultPorts::add);
        defaultPorts.add(defaults.admin().port());
        assertThat(exposed).isEqualTo(defaultPorts).contains(6432, 6433, 6480);
    }

    @Test
    void runsPgwardenWithTheMountedConfigurationFile() {
        Stage runtime = dockerfile.finalStage();
        List<String> entrypoint = runtime.last("ENTRYPOINT").orElseThrow().execForm();
        List<String> command = runtime.last("CMD").orElseThrow().execForm();
        assertThat(entrypoint).containsExactly("/usr/local/bin/pgwarden");
        assertThat(command).containsExactly("run", "--config", CONFIG_FILE);
        assertThat(heredocCopiedTo("/usr/local/bin/pgwarden")).isPresent();
        // The subcommand and option exist in the real command line.
        var run = PgwardenCommand.newCommandLine().getSubcommands().get("run");
        assertThat(run).isNotNull();
        assertThat(run.getCommandSpec().findOption("--config")).isNotNull();
        assertThat(runtime.all("RUN")).anySatisfy(mkdir -> assertThat(mkdir.arguments()).contains("/etc/pgwarden"));
    }

    @Test
    void stateFileLandsInAVolumeTheUserCanWrite() {
        Stage runtime = dockerfile.finalStage();
        List<String> volumes = runtime.all("VOLUME").stream().flatMap(volume -> volume.execForm().stream()).toList();
        assertThat(volumes).containsExactly("/var/lib/pgwarden");
        String workdir = runtime.last("WORKDIR").orElseThrow().arguments();
        // The default state-file is relative: in the image it resolves into the volume.
        Path stateFile = Path.of(workdir).resolve(defaults.failover().stateFile());
        assertThat(stateFile.startsWith(Path.of(volumes.get(0)))).as("%s inside the volume", stateFile).isTrue();
        String uid = runtime.last("USER").orElseThrow().arguments().split(":")[0];
        assertThat(runtime.all("RUN")).anySatisfy(run -> assertThat(run.arguments())
                .contains("chown " + uid + ":" + uid + " /var/lib/pgwarden"));
    }

    @Test
    void healthcheckAsksHealthzWithAToolTheRuntimeImageHas() {
        Stage runtime = dockerfile.finalStage();
        List<Instruction> healthchecks = runtime.all("HEALTHCHECK");
        assertThat(healthchecks).hasSize(1);
        String arguments = healthchecks.get(0).arguments();
        assertThat(arguments).contains("--interval=", "--timeout=", "CMD [");
        List<String> command = healthchecks.get(0).execForm();
        // curl and wget are not in the JRE images: the check runs on the JVM that is there.
        assertThat(command).isNotEmpty().doesNotContain("curl", "wget");
        assertThat(command.get(0)).isEqualTo("java");
        String classpath = command.get(command.indexOf("-cp") + 1);
        assertThat(command.get(command.size() - 1)).isEqualTo("HealthCheck");
        assertThat(runtime.all("COPY")).anySatisfy(copy -> assertThat(copy.arguments())
                .contains("HealthCheck.class").endsWith(" " + classpath + "/"));
        // Its default target: /healthz on the default admin port.
        String url = environment(runtime).get("PGWARDEN_HEALTHCHECK_URL");
        assertThat(url).isEqualTo("http://127.0.0.1:" + defaults.admin().port() + "/healthz");
        assertThat(healthCheckSource()).contains("\"http://127.0.0.1:" + defaults.admin().port() + "/healthz\"");
    }

    @Test
    void healthCheckClientExitsZeroOnlyWhenHealthzAnswersSuccess() throws Exception {
        Path classes = compileHealthCheck();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/healthz", exchange -> {
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
            exchange.close();
        });
        server.createContext("/unhealthy", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            assertThat(runHealthCheck(classes, base + "/healthz")).isZero();
            assertThat(runHealthCheck(classes, base + "/unhealthy")).isEqualTo(1);
            assertThat(runHealthCheck(classes, "http://127.0.0.1:" + closedPort() + "/healthz")).isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void launcherExecsTheJarWithItsArgumentsAndJavaOptions() throws Exception {
        Path launcher = temp.resolve("pgwarden");
        Files.writeString(launcher, heredocCopiedTo("/usr/local/bin/pgwarden").orElseThrow());
        assertThat(Files.readString(launcher)).startsWith("#!/bin/sh\n").contains("exec java");
        Path bin = Files.createDirectory(temp.resolve("bin"));
        Path fakeJava = bin.resolve("java");
        Files.writeString(fakeJava, "#!/bin/sh\nfor argument in \"$@\"; do echo \"$argument\"; done\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));

        ProcessBuilder builder = new ProcessBuilder("/bin/sh", launcher.toString(), "run", "--config", CONFIG_FILE);
        builder.environment().put("PATH", bin + ":/usr/bin:/bin");
        builder.environment().put("PGWARDEN_JAVA_OPTS", environment(dockerfile.finalStage()).get("PGWARDEN_JAVA_OPTS"));
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();

        String jar = dockerfile.finalStage().all("COPY").stream()
                .filter(copy -> copy.arguments().contains("pgwarden.jar"))
                .map(copy -> copy.arguments().substring(copy.arguments().lastIndexOf(' ') + 1))
                .findFirst().orElseThrow();
        assertThat(output.lines().toList()).containsExactly(
                "-XX:MaxRAMPercentage=50.0", "-XX:+ExitOnOutOfMemoryError", "-jar", jar, "run", "--config", CONFIG_FILE);
    }

    @Test
    void noSecretIsBakedIntoTheImage() {
        for (Stage stage : dockerfile.stages()) {
            assertThat(environment(stage).keySet()).noneMatch(name -> SECRET_NAME.matcher(name).matches());
            for (Instruction argument : stage.all("ARG")) {
                assertThat(argument.arguments()).doesNotMatch(SECRET_NAME);
            }
        }
        for (Instruction instruction : dockerfile.instructions()) {
            if (instruction.keyword().equals("ADD")) {
                assertThat(instruction.arguments()).as("ADD fetches nothing remote").doesNotContain("://");
            }
            if (instruction.keyword().equals("COPY") || instruction.keyword().equals("ADD")) {
                for (String source : sources(instruction)) {
                    assertThat(source).as("line %d copies %s", instruction.line(), source).doesNotMatch(SECRET_FILE);
                }
            }
            if (instruction.keyword().equals("RUN")) {
                assertThat(instruction.arguments()).doesNotContainPattern("(?i)(token|password)\\s*=");
            }
        }
    }

    @Test
    void dockerignoreKeepsBuildOutputVersionControlAndSecretsOut() throws IOException {
        List<String> ignored = Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
        assertThat(ignored).contains("**/target/", ".git/", "**/.env", "**/*.pem", "**/*.key");
        // Nothing the build stage copies may be ignored.
        for (Instruction copy : dockerfile.stage("build").all("COPY")) {
            for (String source : sources(copy)) {
                assertThat(ignored).doesNotContain(source, source.replaceAll("/$", ""));
            }
        }
    }

    // ---- helpers

    private static int javaVersion(String image) {
        Matcher version = JAVA_VERSION.matcher(image);
        assertThat(version.find()).as("Java version in %s", image).isTrue();
        return Integer.parseInt(version.group(1));
    }

    /** ENV of a stage: {@code ENV A="x y" B=z} and the legacy {@code ENV A x}. */
    private static Map<String, String> environment(Stage stage) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (Instruction env : stage.all("ENV")) {
            Matcher pair = ENV_PAIR.matcher(env.arguments());
            boolean any = false;
            while (pair.find()) {
                any = true;
                String value = pair.group(2);
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                environment.put(pair.group(1), value);
            }
            if (!any) {
                String[] legacy = env.arguments().split("\\s+", 2);
                environment.put(legacy[0], legacy.length > 1 ? legacy[1] : "");
            }
        }
        return environment;
    }

    /** Source paths of a COPY or ADD (options, here-documents and the destination left out). */
    private static List<String> sources(Instruction copy) {
        List<String> words = new ArrayList<>(List.of(copy.arguments().split("\\s+")));
        words.removeIf(word -> word.startsWith("--") || word.startsWith("<<"));
        return words.isEmpty() ? List.of() : words.subList(0, words.size() - 1);
    }

    private static Optional<String> heredocCopiedTo(String destination) {
        return dockerfile.instructions().stream()
                .filter(instruction -> instruction.keyword().equals("COPY") && instruction.heredoc().isPresent()
                        && instruction.arguments().endsWith(" " + destination))
                .map(instruction -> instruction.heredoc().get())
                .findFirst();
    }

    private static String healthCheckSource() {
        return heredocCopiedTo("/build/healthcheck/HealthCheck.java")
                .orElseThrow(() -> new AssertionError("HealthCheck.java here-document in the build stage"));
    }

    private Path compileHealthCheck() throws IOException {
        Path sources = Files.createDirectory(temp.resolve("src"));
        Path classes = Files.createDirectory(temp.resolve("classes"));
        Path source = Files.writeString(sources.resolve("HealthCheck.java"), healthCheckSource());
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler).as("tests run on a JDK").isNotNull();
        int status = compiler.run(null, null, null, "-d", classes.toString(), source.toString());
        assertThat(status).as("javac HealthCheck.java").isZero();
        return classes;
    }

    private static int runHealthCheck(Path classes, String url) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        // The URL comes through the environment variable, as in the image.
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", classes.toString(), "HealthCheck")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PGWARDEN_HEALTHCHECK_URL", url);
        Process check = builder.start();
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).as("health check of %s finished", url).isTrue();
        return check.exitValue();
    }

    /** A loopback port with nothing listening on it. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
