package io.pgwarden.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgwarden.admin.metrics.PgwardenMetrics;
import io.pgwarden.admin.metrics.PgwardenMetricsTest;
import io.pgwarden.admin.metrics.PrometheusText;
import io.pgwarden.admin.port.ClientSession;
import io.pgwarden.admin.port.ClusterOperations;
import io.pgwarden.admin.port.ReloadOutcome;
import io.pgwarden.admin.port.SessionState;
import io.pgwarden.cluster.ClusterSettings;
import io.pgwarden.cluster.LocalCluster;
import io.pgwarden.cluster.LocalNode;
import io.pgwarden.cluster.junit.LocalClusterExtension;
import io.pgwarden.config.ActionSettings;
import io.pgwarden.config.AdminSettings;
import io.pgwarden.config.AdminTlsSettings;
import io.pgwarden.config.BackendSettings;
import io.pgwarden.config.BackendTlsMode;
import io.pgwarden.config.BackendTlsSettings;
import io.pgwarden.config.FailoverMode;
import io.pgwarden.config.FailoverSettings;
import io.pgwarden.config.HealthSettings;
import io.pgwarden.config.MonitorSettings;
import io.pgwarden.config.Secret;
import io.pgwarden.config.SettingsLoader;
import io.pgwarden.health.ClusterMonitor;
import io.pgwarden.health.failover.SessionTerminator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hawkular.agent.prometheus.types.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin API over a real primary and two streaming standbys, with a real cluster monitor in
 * manual failover mode. The proxy's side (sessions, drain, pause, readiness, reload) is a fake:
 * that is the proxy's behaviour, not PostgreSQL's. The tests run in order on one cluster: reads,
 * refusals, fencing, then a forced failover after kill -9 of the primary, then a switchover.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminApiIT {

    /** Distinctive, so that a leak into any response is found by a plain search. */
    private static final String MONITOR_PASSWORD = "m0nitor-Pw-7c1e9";
    private static final String TOKEN = "it-admin-token-4b2";

    @RegisterExtension
    static final LocalClusterExtension PG = new LocalClusterExtension(ClusterSettings.builder()
            .standbys(2)
            .superuser("postgres", MONITOR_PASSWORD)
            // A dead primary's standbys notice it quickly, so that failover is not held back long.
            .setting("wal_receiver_timeout", "2s")
            .setting("wal_sender_timeout", "2s")
            .build());

    private static Path stateDirectory;
    private static FakeProxy proxy;
    private static ClusterMonitor monitor;
    private static ClusterOperations cluster;
    private static PgwardenMetrics metrics;
    private static AdminServer server;
    private static AdminHttp http;
    private static final List<AdminServer> otherServers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        LocalCluster local = PG.cluster();
        stateDirectory = Files.createTempDirectory("pgwarden-admin-it");
        List<BackendSettings> backends = local.nodes().stream()
                .map(node -> new BackendSettings(node.name(), node.host(), node.port(), 100)).toList();
        ActionSettings builtIn = new ActionSettings(Optional.empty(), Duration.ofSeconds(10));
        FailoverSettings failover = new FailoverSettings(FailoverMode.MANUAL, 16L * 1024 * 1024, Duration.ofSeconds(15),
                Duration.ofSeconds(20), false, stateDirectory.resolve("state.json"), builtIn, builtIn, builtIn,
                builtIn, builtIn);
        proxy = new FakeProxy();
        monitor = ClusterMonitor.create(backends,
                new MonitorSettings(local.superuser(), Optional.of(new Secret(MONITOR_PASSWORD)), "postgres", "pgwarden"),
                new BackendTlsSettings(BackendTlsMode.DISABLE, Optional.empty()),
                new HealthSettings(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofMillis(500), 3),
                failover, SessionTerminator.NONE, proxy);
        monitor.start();
        cluster = ClusterOperations.of(monitor, () -> FailoverMode.MANUAL);
        metrics = new PgwardenMetrics(PgwardenMetricsTest.strictRegistry(), cluster.topology(), cluster.events(), proxy);
        server = new AdminServer(settings(Optional.of(new Secret(TOKEN)), false), cluster, proxy.ports(), metrics);
        http = new AdminHttp(server.start().getPort());
        await().atMost(Duration.ofSeconds(20)).until(() -> "pg1".equals(http.get("/api/v1/cluster").json()
                .path("routable_primary").asText(null)));
    }

    @AfterAll
    static void stop() throws Exception {
        otherServers.forEach(AdminServer::close);
        if (server != null) {
            server.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (monitor != null) {
            monitor.close();
        }
        try (var files = Files.walk(stateDirectory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private static AdminSettings settings(Optional<Secret> token, boolean readRequiresToken) {
        return new AdminSettings(true, "127.0.0.1", 0, token, readRequiresToken,
                new AdminTlsSettings(false, Optional.empty(), Optional.empty()));
    }

    private static AdminHttp otherServer(Optional<Secret> token, boolean readRequiresToken) throws Exception {
        AdminServer other = new AdminServer(settings(token, readRequiresToken), cluster, proxy.ports(), metrics);
        otherServers.add(other);
        return new AdminHttp(other.start().getPort());
    }

    private static JsonNode node(JsonNode clusterView, String name) {
        for (JsonNode node : clusterView.get("nodes")) {
            if (node.get("name").asText().equals(name)) {
                return node;
            }
        }
        throw new AssertionError("no node " + name + " in " + clusterView);
    }

    @Test
    @Order(1)
    void clusterEventsAndProbesDescribeTheHealthyCluster() {
        await().atMost(Duration.ofSeconds(10)).until(() -> !node(http.get("/api/v1/cluster").json(), "pg3")
                .get("lag_bytes").isNull());
        JsonNode view = http.get("/api/v1/cluster").json();
        assertThat(view.get("primary").asText()).isEqualTo("pg1");
        assertThat(view.get("epoch").asLong()).isEqualTo(1);
        assertThat(view.get("failover_mode").asText()).isEqualTo("manual");
        assertThat(view.get("paused").asBoolean()).isFalse();
        JsonNode pg1 = node(view, "pg1");
        assertThat(pg1.get("role").asText()).isEqualTo("primary");
        assertThat(pg1.get("health").asText()).isEqualTo("up");
        assertThat(pg1.get("current_lsn").asText()).matches("[0-9A-F]+/[0-9A-F]+");
        assertThat(pg1.get("timeline").asLong()).isEqualTo(1);
        for (String standby : List.of("pg2", "pg3")) {
            JsonNode node = node(view, standby);
            assertThat(node.get("role").asText()).isEqualTo("standby");
            assertThat(node.get("replay_lsn").asText()).matches("[0-9A-F]+/[0-9A-F]+");
            assertThat(node.get("wal_receiver").get("streaming").asBoolean()).isTrue();
            assertThat(node.get("lag_bytes").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(node.get("fenced").asBoolean()).isFalse();
        }

        JsonNode events = http.get("/api/v1/events").json();
        assertThat(events.get("events")).anySatisfy(event -> {
            assertThat(event.get("kind").asText()).isEqualTo("primary-elected");
            assertThat(event.get("node").asText()).isEqualTo("pg1");
            assertThat(event.get("reason").asText()).isEqualTo("initial-discovery");
        });
        long last = events.get("last_sequence").asLong();
        assertThat(http.get("/api/v1/events?since=" + last).json().get("events")).isEmpty();
        assertThat(http.get("/api/v1/events?since=" + Instant.now().minusSeconds(3600)).json().get("events"))
                .hasSameSizeAs(events.get("events"));

        assertThat(http.get("/healthz").status()).isEqualTo(200);
        assertThat(http.get("/readyz").status()).isEqualTo(200);
        proxy.listenersBound = false;
        assertThat(http.get("/readyz").status()).isEqualTo(503);
        proxy.listenersBound = true;
    }

    @Test
    @Order(2)
    void metricsParseAndShowTheRolesOfTheNodes() {
        AdminHttp.Reply reply = http.get("/metrics");
        assertThat(reply.status()).isEqualTo(200);
        PrometheusText scrape = PrometheusText.parse(reply.body());
        assertThat(scrape.value("pgwarden_backend_role", Map.of("node", "pg1", "role", "primary"))).isEqualTo(1);
        assertThat(scrape.value("pgwarden_backend_role", Map.of("node", "pg2", "role", "standby"))).isEqualTo(1);
        assertThat(scrape.value("pgwarden_backend_health", Map.of("node", "pg3", "health", "up"))).isEqualTo(1);
        assertThat(scrape.value("pgwarden_backend_elected_primary", Map.of("node", "pg1"))).isEqualTo(1);
        assertThat(scrape.value("pgwarden_cluster_epoch", Map.of())).isEqualTo(1);
        assertThat(scrape.histogram("pgwarden_probe_latency_seconds", Map.of("node", "pg2", "outcome", "success"))
                .getSampleCount()).isPositive();
        assertThat(scrape.value("pgwarden_failovers_total", Map.of("kind", "failover", "outcome", "succeeded"))).isZero();
    }

    @Test
    @Order(3)
    void everyMutationNeedsTheTokenAndNoneRunsWithoutOneConfigured() throws Exception {
        List<String> mutations = List.of("/api/v1/switchover", "/api/v1/failover", "/api/v1/nodes/pg2/fence",
                "/api/v1/nodes/pg2/unfence", "/api/v1/nodes/pg2/drain", "/api/v1/pause", "/api/v1/resume",
                "/api/v1/reload");
        for (String path : mutations) {
            assertThat(http.post(path, null, null).status()).as(path).isEqualTo(401);
            assertThat(http.post(path, "wrong-" + TOKEN, null).status()).as(path).isEqualTo(403);
        }
        assertThat(http.delete("/api/v1/sessions/1", null).status()).isEqualTo(401);
        assertThat(http.delete("/api/v1/sessions/1", "nope").status()).isEqualTo(403);

        AdminHttp tokenless = otherServer(Optional.empty(), false);
        AdminHttp.Reply refused = tokenless.post("/api/v1/nodes/pg2/fence", TOKEN, null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("detail").asText()).contains("PGWARDEN_ADMIN_TOKEN");
        assertThat(tokenless.get("/api/v1/cluster").status()).isEqualTo(200);

        AdminHttp closed = otherServer(Optional.of(new Secret(TOKEN)), true);
        assertThat(closed.get("/api/v1/cluster").status()).isEqualTo(401);
        assertThat(closed.get("/metrics").status()).isEqualTo(401);
        assertThat(closed.get("/api/v1/cluster", TOKEN).status()).isEqualTo(200);
        assertThat(closed.get("/readyz").status()).isEqualTo(200);

        assertThat(node(http.get("/api/v1/cluster").json(), "pg2").get("fenced").asBoolean()).isFalse();
        assertThat(proxy.paused).isFalse();
    }

    @Test
    @Order(4)
    void badRequestsGetTheirStatus() {
        assertThat(http.post("/api/v1/switchover", TOKEN, "{\"to\": pg2}").status()).isEqualTo(400);
        AdminHttp.Reply unknownField = http.post("/api/v1/switchover", TOKEN, "{\"target\": \"pg2\"}");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().get("error").asText()).isEqualTo("bad-request");
        assertThat(http.post("/api/v1/nodes/pg9/fence", TOKEN, null).status()).isEqualTo(404);
        assertThat(http.post("/api/v1/switchover", TOKEN, "{\"to\": \"pg9\"}").status()).isEqualTo(404);
        assertThat(http.get("/api/v1/nodes").status()).isEqualTo(404);
        assertThat(http.delete("/api/v1/sessions/999", TOKEN).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/events?since=never").status()).isEqualTo(400);
        AdminHttp.Reply wrongMethod = http.get("/api/v1/pause");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.json().get("error").asText()).isEqualTo("method-not-allowed");
        AdminHttp.Reply tooLarge = http.post("/api/v1/switchover", TOKEN, "{\"to\": \"" + "x".repeat(100_000) + "\"}");
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.json().get("error").asText()).isEqualTo("payload-too-large");
        assertThat(monitor.events().all()).noneMatch(event -> event.kind().name().startsWith("SWITCHOVER"));
    }

    @Test
    @Order(5)
    void fenceAndUnfenceAStandby() {
        AdminHttp.Reply fenced = http.post("/api/v1/nodes/pg3/fence", TOKEN, null);
        assertThat(fenced.status()).as(fenced.body()).isEqualTo(200);
        JsonNode pg3 = node(http.get("/api/v1/cluster").json(), "pg3");
        assertThat(pg3.get("fenced").asBoolean()).isTrue();
        // The built-in soft fence makes it read-only by default; wait for a probe to see it.
        await().atMost(Duration.ofSeconds(10)).until(() -> node(http.get("/api/v1/cluster").json(), "pg3")
                .get("read_only_by_default").asBoolean());
        assertThat(http.get("/api/v1/events").json().get("events")).anySatisfy(event -> {
            assertThat(event.get("kind").asText()).isEqualTo("node-fenced");
            assertThat(event.get("node").asText()).isEqualTo("pg3");
            assertThat(event.get("reason").asText()).isEqualTo("operator-request");
        });

        AdminHttp.Reply unfenced = http.post("/api/v1/nodes/pg3/unfence", TOKEN, "{}");
        assertThat(unfenced.status()).as(unfenced.body()).isEqualTo(200);
        assertThat(node(http.get("/api/v1/cluster").json(), "pg3").get("fenced").asBoolean()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(() -> !node(http.get("/api/v1/cluster").json(), "pg3")
                .get("read_only_by_default").asBoolean());
    }

    @Test
    @Order(6)
    void sessionsDrainPauseAndResumeGoToTheProxy() {
        proxy.sessions.put(7L, new ClientSession(7, "rw", "127.0.0.1:40001", Optional.of("app"), Optional.of("app"),
                Optional.of("billing"), Optional.of("pg2"), SessionState.IDLE, Instant.now().minusSeconds(5)));
        JsonNode session = http.get("/api/v1/sessions").json().get("sessions").get(0);
        assertThat(session.get("id").asLong()).isEqualTo(7);
        assertThat(session.get("node").asText()).isEqualTo("pg2");
        assertThat(session.get("age_seconds").asDouble()).isGreaterThanOrEqualTo(5);

        AdminHttp.Reply drained = http.post("/api/v1/nodes/pg2/drain", TOKEN, null);
        assertThat(drained.status()).isEqualTo(200);
        assertThat(drained.json().get("sessions").asInt()).isEqualTo(1);
        assertThat(node(http.get("/api/v1/cluster").json(), "pg2").get("draining").asBoolean()).isTrue();
        proxy.drained.clear();

        assertThat(http.delete("/api/v1/sessions/7", TOKEN).status()).isEqualTo(200);
        assertThat(http.delete("/api/v1/sessions/7", TOKEN).status()).isEqualTo(404);

        assertThat(http.post("/api/v1/pause", TOKEN, null).json().get("paused").asBoolean()).isTrue();
        assertThat(http.get("/api/v1/cluster").json().get("paused").asBoolean()).isTrue();
        assertThat(http.post("/api/v1/resume", TOKEN, null).json().get("paused").asBoolean()).isFalse();
    }

    @Test
    @Order(7)
    void reloadAppliesOrRefusesWithTheKeyPathOfEveryProblem() {
        proxy.reload = () -> new ReloadOutcome(List.of("pgwarden.health.interval: 250ms -> 500ms"), List.of());
        AdminHttp.Reply applied = http.post("/api/v1/reload", TOKEN, null);
        assertThat(applied.status()).isEqualTo(200);
        assertThat(applied.json().get("applied").get(0).asText()).contains("pgwarden.health.interval");

        proxy.reload = () -> {
            new SettingsLoader(Map.of()).parse("pgwarden.health.interval = fast\npgwarden.admin.port = 0");
            return new ReloadOutcome(List.of(), List.of());
        };
        AdminHttp.Reply refused = http.post("/api/v1/reload", TOKEN, null);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").asText()).isEqualTo("invalid-config");
        assertThat(refused.json().get("problems")).anySatisfy(problem ->
                assertThat(problem.asText()).contains("pgwarden.health.interval"));
        assertThat(refused.json().get("problems")).anySatisfy(problem ->
                assertThat(problem.asText()).contains("pgwarden.admin.port"));
        assertThat(http.get("/api/v1/cluster").json().get("primary").asText()).isEqualTo("pg1");
    }

    @Test
    @Order(8)
    void aForcedFailoverAfterKill9ElectsAStandbyFencesTheOldPrimaryAndShowsInTheMetrics() {
        LocalNode pg1 = PG.cluster().node("pg1");
        pg1.kill9();
        await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/api/v1/events").json().get("events")
                .findParents("kind").stream().anyMatch(event -> event.get("kind").asText().equals("primary-lost")));
        JsonNode down = http.get("/api/v1/cluster").json();
        assertThat(node(down, "pg1").get("health").asText()).isEqualTo("down");
        assertThat(down.get("routable_primary").isNull()).isTrue();

        AdminHttp.Reply switchover = http.post("/api/v1/switchover", TOKEN, null);
        assertThat(switchover.status()).as("a switchover needs a live primary").isEqualTo(409);

        AdminHttp.Reply failover = http.post("/api/v1/failover", TOKEN, "{\"to\": \"pg2\"}");
        assertThat(failover.status()).as(failover.body()).isEqualTo(200);
        assertThat(failover.json().get("new_primary").asText()).isEqualTo("pg2");
        assertThat(failover.json().get("old_primary").asText()).isEqualTo("pg1");
        assertThat(failover.json().get("epoch").asLong()).isEqualTo(2);
        metrics.recordFirstRoute("pg2", Instant.now());

        JsonNode after = http.get("/api/v1/cluster").json();
        assertThat(after.get("primary").asText()).isEqualTo("pg2");
        assertThat(after.get("routable_primary").asText()).isEqualTo("pg2");
        assertThat(after.get("epoch").asLong()).isEqualTo(2);
        assertThat(node(after, "pg1").get("fenced").asBoolean()).isTrue();
        assertThat(node(after, "pg2").get("role").asText()).isEqualTo("primary");

        PrometheusText scrape = PrometheusText.parse(http.get("/metrics").body());
        assertThat(scrape.value("pgwarden_failovers_total", Map.of("kind", "failover", "outcome", "succeeded"))).isEqualTo(1);
        assertThat(scrape.value("pgwarden_failovers_total", Map.of("kind", "switchover", "outcome", "refused"))).isEqualTo(1);
        for (String phase : List.of("detect", "fence", "promote", "first-route")) {
            Histogram histogram = scrape.histogram("pgwarden_failover_phase_seconds",
                    Map.of("kind", "failover", "phase", phase));
            assertThat(histogram.getSampleCount()).as(phase).isEqualTo(1);
            assertThat(histogram.getSampleSum()).as(phase).isGreaterThanOrEqualTo(0).isLessThan(60);
        }
        assertThat(scrape.histogram("pgwarden_failover_phase_seconds", Map.of("kind", "failover", "phase", "promote"))
                .getSampleSum()).isPositive();
        assertThat(scrape.value("pgwarden_cluster_epoch", Map.of())).isEqualTo(2);
        assertThat(scrape.value("pgwarden_backend_role", Map.of("node", "pg2", "role", "primary"))).isEqualTo(1);
        assertThat(scrape.value("pgwarden_backend_role", Map.of("node", "pg1", "role", "unknown"))).isEqualTo(1);
        assertThat(scrape.value("pgwarden_backend_elected_primary", Map.of("node", "pg2"))).isEqualTo(1);
        assertThat(scrape.value("pgwarden_backend_elected_primary", Map.of("node", "pg1"))).isZero();
        assertThat(scrape.value("pgwarden_backend_fenced", Map.of("node", "pg1"))).isEqualTo(1);
        assertThat(scrape.value("pgwarden_backend_health", Map.of("node", "pg1", "health", "down"))).isEqualTo(1);

        for (String path : List.of("/api/v1/cluster", "/api/v1/events", "/metrics")) {
            assertThat(http.get(path).body()).as(path).doesNotContain(MONITOR_PASSWORD).doesNotContain(TOKEN);
        }
    }

    @Test
    @Order(9)
    void operationsDuringASwitchoverAreConflictsAndTheSwitchoverCompletes() throws Exception {
        String pg2 = PG.cluster().node("pg2").host() + ":" + PG.cluster().node("pg2").port();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode pg3 = node(http.get("/api/v1/cluster").json(), "pg3");
            return pg3.get("health").asText().equals("up") && pg3.path("wal_receiver").path("streaming").asBoolean()
                    && pg3.path("wal_receiver").path("upstream").asText().equals(pg2);
        });
        proxy.holdNextIdleWait();
        CompletableFuture<AdminHttp.Reply> switchover = http.postAsync("/api/v1/switchover", TOKEN, "{\"to\":\"pg3\"}");
        assertThat(proxy.awaitingIdle.await(20, TimeUnit.SECONDS)).as("the switchover waits for idle sessions").isTrue();

        assertThat(http.get("/api/v1/cluster").json().get("operation").get("kind").asText()).isEqualTo("switchover");
        for (String path : List.of("/api/v1/failover", "/api/v1/switchover", "/api/v1/nodes/pg3/fence", "/api/v1/pause",
                "/api/v1/resume", "/api/v1/reload")) {
            AdminHttp.Reply conflict = http.post(path, TOKEN, null);
            assertThat(conflict.status()).as(path).isEqualTo(409);
            assertThat(conflict.json().get("detail").asText()).as(path).contains("a switchover is in progress");
        }
        proxy.releaseIdle();

        AdminHttp.Reply done = switchover.get(60, TimeUnit.SECONDS);
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.json().get("new_primary").asText()).isEqualTo("pg3");
        assertThat(done.json().get("epoch").asLong()).isEqualTo(3);
        JsonNode after = http.get("/api/v1/cluster").json();
        assertThat(after.get("routable_primary").asText()).isEqualTo("pg3");
        assertThat(after.get("operation").isNull()).isTrue();
        PrometheusText scrape = PrometheusText.parse(http.get("/metrics").body());
        assertThat(scrape.value("pgwarden_failovers_total", Map.of("kind", "switchover", "outcome", "succeeded"))).isEqualTo(1);
        assertThat(scrape.histogram("pgwarden_failover_phase_seconds", Map.of("kind", "switchover", "phase", "promote"))
                .getSampleCount()).isEqualTo(1);
    }
}
