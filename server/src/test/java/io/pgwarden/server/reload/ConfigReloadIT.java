package io.pgwarden.server.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgwarden.admin.port.ReloadOutcome;
import io.pgwarden.cluster.ClusterSettings;
import io.pgwarden.cluster.LocalCluster;
import io.pgwarden.cluster.LocalNode;
import io.pgwarden.cluster.junit.LocalClusterExtension;
import io.pgwarden.config.ConfigProblem;
import io.pgwarden.config.FailoverMode;
import io.pgwarden.config.InvalidConfigException;
import io.pgwarden.config.SettingsLoader;
import io.pgwarden.health.event.EventKind;
import io.pgwarden.health.topology.NodeState;
import io.pgwarden.server.runtime.ClusterConfig;
import io.pgwarden.server.runtime.PgwardenRuntime;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live reload on a real cluster behind a running pgwarden: backends come and go without a
 * restart, health settings change, and an invalid file is refused whole while the proxy keeps
 * serving. Each test starts its own pgwarden from its own file; the cluster is shared and only
 * grows (standbys are added, never taken away).
 */
class ConfigReloadIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String TOKEN = "reload-test-token";

    @RegisterExtension
    static final LocalClusterExtension PG = new LocalClusterExtension(ClusterSettings.builder().standbys(1).build());

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Connection> connections = new ArrayList<>();
    private ClusterConfig ports;
    private Path file;
    private PgwardenRuntime pgwarden;

    @AfterEach
    void stop() {
        connections.forEach(ConfigReloadIT::closeQuietly);
        if (pgwarden != null) {
            pgwarden.close();
        }
    }

    // ---- adding a standby

    @Test
    void aStandbyAddedByReloadThroughTheAdminApiTakesReadSessions() throws Exception {
        LocalCluster cluster = PG.cluster();
        LocalNode primary = cluster.node("pg1");
        LocalNode standby = cluster.node("pg2");
        start(List.of(primary, standby));
        assertThat(readPorts(6)).containsOnly(standby.port());

        LocalNode added = cluster.addStandby();
        writeConfig(List.of(primary, standby, added));
        HttpResponse<String> response = postReload(TOKEN);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode outcome = json.readTree(response.body());
        assertThat(texts(outcome.get("applied"))).containsExactly("pgwarden.backends[2]: added " + added.name()
                + " (" + added.host() + ":" + added.port() + ", priority 100): probed from now on, routed once it"
                + " answers");
        assertThat(texts(outcome.get("restart_required"))).isEmpty();
        assertThat(pgwarden.monitor().probedBackends()).contains(added.name());

        // Round-robin over the healthy standbys: new read sessions start landing on the new one.
        Set<Integer> seen = new HashSet<>();
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).until(() -> {
            seen.addAll(readPorts(4));
            return seen.contains(added.port());
        });
        assertThat(seen).contains(standby.port(), added.port()).doesNotContain(primary.port());
        assertThat(pgwarden.topology().current().routableStandbys()).extracting(NodeState::name)
                .containsExactly(standby.name(), added.name());
        assertThat(pgwarden.settings().backends()).extracting(backend -> backend.name())
                .containsExactly(primary.name(), standby.name(), added.name());
        assertThat(events(EventKind.NODE_ADDED)).containsExactly(added.name());
    }

    // ---- refusals

    @Test
    void anInvalidFileIsRefusedWholeWithItsKeyPathsAndTheProxyKeepsServing() throws Exception {
        LocalCluster cluster = PG.cluster();
        start(List.of(cluster.node("pg1"), cluster.node("pg2")));
        Connection writerBefore = connect("rw");
        Connection readerBefore = connect("ro");
        long version = pgwarden.topology().current().version();

        writeConfig(List.of(cluster.node("pg1"), cluster.node("pg2")),
                "pgwarden.admin.port = 70000", "pgwarden.health.intervall = 1s", "pgwarden.limits.hold-timeout = 1s");

        assertThatThrownBy(() -> pgwarden.reloader().reload())
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::key)
                        .containsExactlyInAnyOrder("pgwarden.admin.port", "pgwarden.health.intervall"));

        HttpResponse<String> refused = postReload(TOKEN);
        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode error = json.readTree(refused.body());
        assertThat(error.get("error").asText()).isEqualTo("invalid-config");
        assertThat(error.get("detail").asText()).contains("nothing was changed");
        assertThat(texts(error.get("problems")))
                .anySatisfy(line -> assertThat(line).contains("pgwarden.admin.port = 70000").contains("not a port"))
                .anySatisfy(line -> assertThat(line).contains("pgwarden.health.intervall")
                        .contains("did you mean pgwarden.health.interval?"));
        assertThat(postReload(null).statusCode()).isEqualTo(401);
        assertThat(postReload("wrong-token").statusCode()).isEqualTo(403);

        // Nothing was applied, not even the valid hold-timeout; everything keeps serving.
        assertThat(pgwarden.proxy().limits().holdTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(pgwarden.settings().admin().port()).isEqualTo(ports.adminPort());
        assertThat(pgwarden.topology().current().primary()).contains("pg1");
        assertThat(serverPort(writerBefore)).isEqualTo(cluster.node("pg1").port());
        assertThat(serverPort(readerBefore)).isEqualTo(cluster.node("pg2").port());
        try (Connection writer = DriverManager.getConnection(url("rw"), credentials());
                Statement statement = writer.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS reload_probe (id int)");
            statement.execute("INSERT INTO reload_probe VALUES (1)");
        }
        // and probing goes on: new snapshots keep coming.
        await().atMost(Duration.ofSeconds(10)).until(() -> pgwarden.topology().current().version() > version);
    }

    @Test
    void removingTheElectedPrimaryIsRefusedAndNothingChanges() throws Exception {
        LocalCluster cluster = PG.cluster();
        start(List.of(cluster.node("pg1"), cluster.node("pg2")));
        Connection writerBefore = connect("rw");

        writeConfig(List.of(cluster.node("pg2")), "pgwarden.health.failures-before-down = 7");

        assertThatThrownBy(() -> pgwarden.reloader().reload())
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(problem -> {
                            assertThat(problem.key()).isEqualTo("pgwarden.backends");
                            assertThat(problem.message()).contains("pg1 is the elected primary")
                                    .contains("switch over");
                        }));
        assertThat(pgwarden.monitor().healthSettings().failuresBeforeDown()).isEqualTo(3);
        assertThat(pgwarden.monitor().probedBackends()).containsExactlyInAnyOrder("pg1", "pg2");
        assertThat(pgwarden.topology().current().routablePrimary().map(NodeState::name)).contains("pg1");
        assertThat(serverPort(writerBefore)).isEqualTo(cluster.node("pg1").port());
        assertThat(events(EventKind.NODE_REMOVED)).isEmpty();
    }

    // ---- settings

    @Test
    void healthAndFailoverSettingsApplyWhileListenerChangesWaitForARestart() throws Exception {
        LocalCluster cluster = PG.cluster();
        List<LocalNode> nodes = List.of(cluster.node("pg1"), cluster.node("pg2"));
        start(nodes);
        int oldPort = ports.readWritePort();
        int newPort = freePort();
        Connection writerBefore = connect("rw");

        writeConfig(nodes,
                "pgwarden.health { interval = 100ms, failures-before-down = 5 }",
                "pgwarden.failover.mode = \"manual\"",
                "pgwarden.listeners = [ { name = \"rw\", host = \"127.0.0.1\", port = " + newPort
                        + ", route = \"primary\" }, { name = \"ro\", host = \"127.0.0.1\", port = "
                        + ports.readOnlyPort() + ", route = \"standby\", fallback-to-primary = true } ]",
                "pgwarden.limits.hold-timeout = 2s");
        ReloadOutcome outcome = pgwarden.reloader().reload();

        assertThat(outcome.applied()).containsExactly(
                "pgwarden.health.interval: 250ms -> 100ms",
                "pgwarden.health.failures-before-down: 3 -> 5",
                "pgwarden.failover.mode: automatic -> manual",
                "pgwarden.limits.hold-timeout: 30s -> 2s (for new sessions)");
        assertThat(outcome.restartRequired()).containsExactly(
                "pgwarden.listeners[0].port: " + oldPort + " -> " + newPort + " (needs a restart)");
        assertThat(pgwarden.monitor().healthSettings().failuresBeforeDown()).isEqualTo(5);
        assertThat(pgwarden.monitor().probeInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(pgwarden.monitor().failoverSettings().mode()).isEqualTo(FailoverMode.MANUAL);
        assertThat(pgwarden.proxy().limits().holdTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(pgwarden.monitor().events().all()).anySatisfy(event -> {
            assertThat(event.kind()).isEqualTo(EventKind.SETTINGS_CHANGED);
            assertThat(event.message()).isEqualTo("health and failover (mode automatic -> manual) settings reloaded");
        });
        JsonNode state = json.readTree(get("/api/v1/cluster").body());
        assertThat(state.get("failover_mode").asText()).isEqualTo("manual");

        // The listener still serves where it was bound, on the session opened before and on new ones.
        assertThat(pgwarden.proxy().port("rw")).isEqualTo(oldPort);
        assertThat(pgwarden.settings().listeners().get(0).port()).isEqualTo(oldPort);
        assertThat(serverPort(writerBefore)).isEqualTo(cluster.node("pg1").port());
        try (Connection writer = DriverManager.getConnection(url("rw"), credentials())) {
            assertThat(serverPort(writer)).isEqualTo(cluster.node("pg1").port());
        }

        // Reloading the same file again: the listener change is still pending, nothing else.
        ReloadOutcome again = pgwarden.reloader().reload();
        assertThat(again.applied()).isEmpty();
        assertThat(again.restartRequired()).isEqualTo(outcome.restartRequired());
    }

    // ---- removing a standby

    @Test
    void removingAStandbyEndsItsSessionsWith57P01AndNewReadSessionsGoElsewhere() throws Exception {
        LocalCluster cluster = PG.cluster();
        LocalNode primary = cluster.node("pg1");
        LocalNode kept = cluster.node("pg2");
        LocalNode removed = cluster.addStandby();
        start(List.of(primary, kept, removed));
        await().atMost(DEADLINE).until(() -> pgwarden.topology().current().routableStandbys().size() == 2);
        Connection onRemoved = readSessionOn(removed);
        Connection onKept = readSessionOn(kept);

        writeConfig(List.of(primary, kept));
        ReloadOutcome outcome = pgwarden.reloader().reload();

        assertThat(outcome.applied()).containsExactly("pgwarden.backends: removed " + removed.name() + " ("
                + removed.host() + ":" + removed.port() + "): its sessions were ended, it is no longer probed or routed");
        await().atMost(DEADLINE).until(() -> pgwarden.proxy().sessions().stream()
                .noneMatch(session -> session.node().equals(Optional.of(removed.name()))));
        assertThatThrownBy(() -> serverPort(onRemoved))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("57P01");
                    assertThat(e.getMessage()).contains("configuration reload").contains(removed.name());
                });
        assertThat(serverPort(onKept)).isEqualTo(kept.port());
        assertThat(readPorts(8)).containsOnly(kept.port());
        assertThat(pgwarden.topology().current().node(removed.name())).isEmpty();
        assertThat(pgwarden.monitor().probedBackends()).containsExactlyInAnyOrder(primary.name(), kept.name());
        assertThat(events(EventKind.NODE_REMOVED)).containsExactly(removed.name());
    }

    // ---- helpers

    private void start(List<LocalNode> nodes) throws IOException {
        ports = new ClusterConfig(freePort(), freePort(), freePort(), dir.resolve("state.json"));
        file = dir.resolve("pgwarden.conf");
        writeConfig(nodes);
        SettingsLoader loader = new SettingsLoader(Map.of("PGWARDEN_MONITOR_PASSWORD", PG.cluster().password()));
        pgwarden = new PgwardenRuntime(loader.load(file), file, loader).start();
        await().atMost(DEADLINE).until(() -> pgwarden.topology().current().routablePrimary().isPresent()
                && pgwarden.topology().current().routableStandbys().size() >= Math.min(1, nodes.size() - 1));
    }

    /** The file for {@code nodes}, with the admin token and {@code extraLines} (overrides) after it. */
    private void writeConfig(List<LocalNode> nodes, String... extraLines) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("pgwarden.backends = " + nodes.stream()
                .map(node -> "{ name = \"" + node.name() + "\", host = \"" + node.host() + "\", port = " + node.port()
                        + " }")
                .collect(Collectors.joining(", ", "[", "]")));
        lines.add("pgwarden.admin.token = \"" + TOKEN + "\"");
        lines.addAll(List.of(extraLines));
        Files.writeString(file, ports.render(PG.cluster(), lines.toArray(String[]::new)), StandardCharsets.UTF_8);
    }

    private HttpResponse<String> postReload(String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + ports.adminPort() + "/api/v1/reload"))
                .timeout(DEADLINE)
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.adminPort() + path))
                .timeout(DEADLINE).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> events(EventKind kind) {
        return pgwarden.monitor().events().all().stream()
                .filter(event -> event.kind() == kind)
                .map(event -> event.node().orElse("-"))
                .toList();
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    /** The server ports of {@code count} new read sessions, each opened and closed. */
    private List<Integer> readPorts(int count) throws SQLException {
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            try (Connection reader = DriverManager.getConnection(url("ro"), credentials())) {
                seen.add(serverPort(reader));
            }
        }
        return seen;
    }

    /** A read session that the round-robin placed on {@code node}, kept open until the test ends. */
    private Connection readSessionOn(LocalNode node) throws SQLException {
        for (int i = 0; i < 20; i++) {
            Connection reader = DriverManager.getConnection(url("ro"), credentials());
            if (serverPort(reader) == node.port()) {
                connections.add(reader);
                return reader;
            }
            reader.close();
        }
        throw new AssertionError("no read session landed on " + node.name() + " in 20 attempts");
    }

    private Connection connect(String listener) throws SQLException {
        Connection connection = DriverManager.getConnection(url(listener), credentials());
        connections.add(connection);
        return connection;
    }

    private String url(String listener) {
        return "jdbc:postgresql://127.0.0.1:" + pgwarden.proxy().port(listener) + "/postgres";
    }

    private static Properties credentials() {
        Properties properties = new Properties();
        properties.setProperty("user", PG.cluster().superuser());
        properties.setProperty("password", PG.cluster().password());
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("socketTimeout", "30");
        return properties;
    }

    private static int serverPort(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT inet_server_port()")) {
            row.next();
            return row.getInt(1);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // already ended by the test
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
