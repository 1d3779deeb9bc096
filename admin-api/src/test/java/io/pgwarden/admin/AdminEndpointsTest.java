package io.pgwarden.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgwarden.admin.port.ClientSession;
import io.pgwarden.admin.port.ReloadOutcome;
import io.pgwarden.admin.port.SessionState;
import io.pgwarden.config.FailoverMode;
import io.pgwarden.config.InvalidConfigException;
import io.pgwarden.config.SettingsLoader;
import io.pgwarden.health.event.EventKind;
import io.pgwarden.health.event.Outcome;
import io.pgwarden.health.event.Reason;
import io.pgwarden.health.failover.CommandResult;
import io.pgwarden.health.failover.FailoverResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every endpoint through the real pipeline in an EmbeddedChannel, with a fake cluster and proxy. */
class AdminEndpointsTest {

    private final EmbeddedAdmin admin = new EmbeddedAdmin();

    @AfterEach
    void close() {
        admin.close();
    }

    @Test
    void clusterShowsEveryNodeWithRoleHealthLsnsLagTimelineFencingAndSessions() {
        admin.proxy.backendSessions.put("pg1", new java.util.concurrent.atomic.AtomicLong(7));
        admin.proxy.drained.add("pg3");
        admin.proxy.paused = true;

        EmbeddedAdmin.Reply reply = admin.get("/api/v1/cluster");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers().get("Content-Type")).isEqualTo("application/json; charset=utf-8");
        JsonNode cluster = reply.json();
        assertThat(cluster.get("epoch").asLong()).isEqualTo(1);
        assertThat(cluster.get("primary").asText()).isEqualTo("pg1");
        assertThat(cluster.get("routable_primary").asText()).isEqualTo("pg1");
        assertThat(cluster.get("failover_mode").asText()).isEqualTo("manual");
        assertThat(cluster.get("paused").asBoolean()).isTrue();
        assertThat(cluster.get("operation").isNull()).isTrue();
        assertThat(cluster.get("nodes")).hasSize(3);
        JsonNode pg1 = cluster.get("nodes").get(0);
        assertThat(pg1.get("name").asText()).isEqualTo("pg1");
        assertThat(pg1.get("role").asText()).isEqualTo("primary");
        assertThat(pg1.get("health").asText()).isEqualTo("up");
        assertThat(pg1.get("elected_primary").asBoolean()).isTrue();
        assertThat(pg1.get("current_lsn").asText()).isEqualTo("0/3000148");
        assertThat(pg1.get("timeline").asLong()).isEqualTo(1);
        assertThat(pg1.get("sessions").asLong()).isEqualTo(7);
        JsonNode pg2 = cluster.get("nodes").get(1);
        assertThat(pg2.get("role").asText()).isEqualTo("standby");
        assertThat(pg2.get("lag_bytes").asLong()).isEqualTo(0x48);
        assertThat(pg2.get("lag_seconds").asDouble()).isEqualTo(0.25);
        assertThat(pg2.get("replay_lsn").asText()).isEqualTo("0/3000100");
        assertThat(pg2.get("wal_receiver").get("upstream").asText()).isEqualTo("127.0.0.1:5432");
        assertThat(pg2.get("fenced").asBoolean()).isFalse();
        assertThat(cluster.get("nodes").get(2).get("draining").asBoolean()).isTrue();
    }

    @Test
    void eventsSinceASequenceOrATime() {
        admin.cluster.events.record(1, EventKind.NODE_HEALTH_CHANGED, Optional.of("pg2"), Reason.PROBE_FAILED,
                Outcome.OBSERVED, "UP -> SUSPECT", Optional.empty());
        admin.cluster.time.advance(Duration.ofMinutes(1));
        admin.cluster.events.record(1, EventKind.NODE_FENCED, Optional.of("pg2"), Reason.OPERATOR_REQUEST,
                Outcome.SUCCEEDED, "no longer routed", Optional.empty());

        JsonNode all = admin.get("/api/v1/events").json();
        assertThat(all.get("last_sequence").asLong()).isEqualTo(2);
        assertThat(all.get("events")).hasSize(2);
        JsonNode fenced = all.get("events").get(1);
        assertThat(fenced.get("kind").asText()).isEqualTo("node-fenced");
        assertThat(fenced.get("reason").asText()).isEqualTo("operator-request");
        assertThat(fenced.get("outcome").asText()).isEqualTo("succeeded");
        assertThat(fenced.get("node").asText()).isEqualTo("pg2");
        assertThat(fenced.get("time").asText()).isEqualTo("2025-03-01T10:01:00Z");

        assertThat(admin.get("/api/v1/events?since=1").json().get("events")).hasSize(1);
        assertThat(admin.get("/api/v1/events?since=2025-03-01T10:00:30Z").json().get("events")).hasSize(1);
        assertThat(admin.get("/api/v1/events?since=2025-03-01T12:00:00%2B02:00").json().get("events")).hasSize(2);
        EmbeddedAdmin.Reply bad = admin.get("/api/v1/events?since=yesterday");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).isEqualTo("bad-request");
        assertThat(bad.json().get("detail").asText()).contains("since");
    }

    @Test
    void sessionsAreListedAndEndedById() {
        admin.proxy.sessions.put(41L, new ClientSession(41, "rw", "127.0.0.1:50000", Optional.of("app"),
                Optional.of("shop"), Optional.of("checkout"), Optional.of("pg1"), SessionState.IN_TRANSACTION,
                FakeCluster.START.plusSeconds(30)));

        JsonNode session = admin.get("/api/v1/sessions").json().get("sessions").get(0);
        assertThat(session.get("id").asLong()).isEqualTo(41);
        assertThat(session.get("listener").asText()).isEqualTo("rw");
        assertThat(session.get("client_address").asText()).isEqualTo("127.0.0.1:50000");
        assertThat(session.get("application_name").asText()).isEqualTo("checkout");
        assertThat(session.get("node").asText()).isEqualTo("pg1");
        assertThat(session.get("state").asText()).isEqualTo("in-transaction");
        assertThat(session.get("age_seconds").asDouble()).isEqualTo(60.0);

        EmbeddedAdmin.Reply ended = admin.call("DELETE", "/api/v1/sessions/41", EmbeddedAdmin.TOKEN, null);
        assertThat(ended.status()).isEqualTo(200);
        assertThat(admin.proxy.sessions).isEmpty();
        assertThat(admin.call("DELETE", "/api/v1/sessions/41", EmbeddedAdmin.TOKEN, null).status()).isEqualTo(404);
        assertThat(admin.call("DELETE", "/api/v1/sessions/abc", EmbeddedAdmin.TOKEN, null).status()).isEqualTo(404);
        assertThat(admin.call("DELETE", "/api/v1/sessions/41", null, null).status()).isEqualTo(401);
    }

    @Test
    void switchoverGoesToTheNamedNodeOrTheBestCandidate() {
        EmbeddedAdmin.Reply named = admin.post("/api/v1/switchover", "{\"to\": \"pg3\"}");
        assertThat(named.status()).isEqualTo(200);
        assertThat(named.json().get("new_primary").asText()).isEqualTo("pg3");
        assertThat(named.json().get("operation").asText()).isEqualTo("switchover");
        assertThat(admin.post("/api/v1/switchover", null).status()).isEqualTo(200);
        assertThat(admin.post("/api/v1/switchover", "{}").status()).isEqualTo(200);
        assertThat(admin.cluster.calls).containsExactly("switchover pg3", "switchover -", "switchover -");
    }

    @Test
    void switchoverBodiesAreReadStrictly() {
        EmbeddedAdmin.Reply unknownField = admin.post("/api/v1/switchover", "{\"too\": \"pg2\"}");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().get("detail").asText()).contains("unknown field 'too'");
        assertThat(admin.post("/api/v1/switchover", "{\"to\": ").status()).isEqualTo(400);
        assertThat(admin.post("/api/v1/switchover", "\"pg2\"").status()).isEqualTo(400);
        assertThat(admin.post("/api/v1/switchover", "{\"to\": \"pg2\"} {}").status()).isEqualTo(400);
        EmbeddedAdmin.Reply unknownNode = admin.post("/api/v1/switchover", "{\"to\": \"pg9\"}");
        assertThat(unknownNode.status()).isEqualTo(404);
        assertThat(unknownNode.json().get("detail").asText()).contains("pg9");
        assertThat(admin.cluster.calls).isEmpty();
    }

    @Test
    void aSwitchoverThatElectsNoPrimaryIsAConflict() {
        admin.cluster.onSwitchover = target -> CompletableFuture.completedFuture(new FailoverResult(false,
                Optional.of("pg1"), Optional.empty(), 1, Reason.SESSIONS_NOT_IDLE,
                "sessions did not become idle within 30000 ms", Duration.ofSeconds(30)));

        EmbeddedAdmin.Reply reply = admin.post("/api/v1/switchover", null);

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.json().get("error").asText()).isEqualTo("conflict");
        assertThat(reply.json().get("detail").asText()).contains("sessions-not-idle")
                .contains("did not become idle");
    }

    @Test
    void operationsDuringAFailoverInProgressAreConflicts() {
        admin.cluster.events.record(1, EventKind.FAILOVER_STARTED, Optional.of("pg1"), Reason.PRIMARY_DOWN,
                Outcome.OBSERVED, "old primary pg1", Optional.empty());

        for (String uri : List.of("/api/v1/switchover", "/api/v1/failover", "/api/v1/nodes/pg2/fence",
                "/api/v1/nodes/pg2/unfence", "/api/v1/pause", "/api/v1/resume", "/api/v1/reload")) {
            EmbeddedAdmin.Reply reply = admin.post(uri, null);
            assertThat(reply.status()).as(uri).isEqualTo(409);
            assertThat(reply.json().get("detail").asText()).as(uri).contains("a failover is in progress");
        }
        assertThat(admin.get("/api/v1/cluster").json().get("operation").get("kind").asText()).isEqualTo("failover");
        assertThat(admin.cluster.calls).isEmpty();

        admin.cluster.events.record(2, EventKind.FAILOVER_COMPLETED, Optional.of("pg2"), Reason.PROMOTED,
                Outcome.SUCCEEDED, "pg2 promoted", Optional.empty());
        assertThat(admin.post("/api/v1/switchover", null).status()).isEqualTo(200);
    }

    @Test
    void aSecondOperationWhileASwitchoverRunsIsAConflictAndPipelinedRequestsWaitTheirTurn() {
        CompletableFuture<FailoverResult> first = new CompletableFuture<>();
        admin.cluster.onSwitchover = target -> first;
        EmbeddedAdmin.Connection operator = admin.connection();
        String switchoverThenCluster = EmbeddedAdmin.request("POST", "/api/v1/switchover", EmbeddedAdmin.TOKEN, null)
                + EmbeddedAdmin.request("GET", "/api/v1/cluster", null, null);
        assertThat(operator.exchange(switchoverThenCluster)).as("the switchover runs; the GET waits behind it").isEmpty();

        EmbeddedAdmin.Reply second = admin.post("/api/v1/switchover", null);
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json().get("detail").asText()).contains("a switchover is in progress");
        assertThat(admin.post("/api/v1/failover", null).status()).isEqualTo(409);
        assertThat(admin.post("/api/v1/reload", null).status()).isEqualTo(409);
        assertThat(admin.get("/api/v1/cluster").json().get("operation").get("kind").asText()).isEqualTo("switchover");

        first.complete(FakeCluster.succeeded("pg2"));
        List<EmbeddedAdmin.Reply> replies = operator.exchange("");
        assertThat(replies).extracting(EmbeddedAdmin.Reply::status).containsExactly(200, 200);
        assertThat(replies.get(0).json().get("new_primary").asText()).isEqualTo("pg2");
        assertThat(replies.get(1).json().has("nodes")).isTrue();
        assertThat(admin.cluster.calls).containsExactly("switchover -");
        assertThat(admin.post("/api/v1/switchover", null).status()).as("the slot is free again").isEqualTo(200);
    }

    @Test
    void failoverIsForcedThroughTheCoordinatorAndRefusalsAreConflicts() {
        admin.cluster.mode = FailoverMode.MANUAL;
        assertThat(admin.post("/api/v1/failover", "{\"to\":\"pg2\"}").json().get("new_primary").asText())
                .isEqualTo("pg2");
        admin.cluster.onFailover = target -> CompletableFuture.completedFuture(new FailoverResult(false,
                Optional.of("pg1"), Optional.empty(), 1, Reason.OPERATOR_REQUEST,
                "pg1 is up and writable: use a switchover", Duration.ZERO));
        EmbeddedAdmin.Reply refused = admin.post("/api/v1/failover", null);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").asText()).contains("use a switchover");
    }

    @Test
    void fenceUnfenceAndDrainNameAConfiguredNode() {
        EmbeddedAdmin.Reply fenced = admin.post("/api/v1/nodes/pg2/fence", null);
        assertThat(fenced.status()).isEqualTo(200);
        assertThat(fenced.json().get("message").asText()).isEqualTo("pg2 fenced");
        assertThat(admin.post("/api/v1/nodes/pg2/unfence", "{}").status()).isEqualTo(200);
        admin.cluster.onUnfence = node -> new CommandResult(false, node + " reports itself writable");
        assertThat(admin.post("/api/v1/nodes/pg2/unfence", null).status()).isEqualTo(409);
        assertThat(admin.post("/api/v1/nodes/pg9/fence", null).status()).isEqualTo(404);
        assertThat(admin.post("/api/v1/nodes/pg2/fence", "{\"force\":true}").status()).isEqualTo(400);

        EmbeddedAdmin.Reply drained = admin.post("/api/v1/nodes/pg3/drain", null);
        assertThat(drained.status()).isEqualTo(200);
        assertThat(drained.json().get("sessions").asInt()).isZero();
        assertThat(admin.proxy.drained).containsExactly("pg3");
        assertThat(admin.post("/api/v1/nodes/pg9/drain", null).status()).isEqualTo(404);
        assertThat(admin.cluster.calls).containsExactly("fence pg2", "unfence pg2", "unfence pg2");
    }

    @Test
    void pauseAndResumeHoldTraffic() {
        assertThat(admin.post("/api/v1/pause", null).json().get("paused").asBoolean()).isTrue();
        assertThat(admin.proxy.paused).isTrue();
        assertThat(admin.get("/api/v1/cluster").json().get("paused").asBoolean()).isTrue();
        assertThat(admin.post("/api/v1/resume", null).json().get("paused").asBoolean()).isFalse();
        assertThat(admin.proxy.paused).isFalse();
    }

    @Test
    void reloadReportsWhatChangedOrEveryProblemOfTheNewConfiguration() {
        admin.proxy.reload = () -> new ReloadOutcome(List.of("pgwarden.backends: added pg4"),
                List.of("pgwarden.listeners[0].port: 6432 -> 7432 (needs a restart)"));
        JsonNode applied = admin.post("/api/v1/reload", null).json();
        assertThat(applied.get("applied").get(0).asText()).isEqualTo("pgwarden.backends: added pg4");
        assertThat(applied.get("restart_required").get(0).asText()).contains("needs a restart");

        admin.proxy.reload = () -> {
            new SettingsLoader(Map.of()).parse("pgwarden { backends = [ { name = \"pg1\", host = \"h\", port = 70000 } ] }");
            throw new AssertionError("the configuration should be invalid");
        };
        EmbeddedAdmin.Reply refused = admin.post("/api/v1/reload", null);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("error").asText()).isEqualTo("invalid-config");
        assertThat(refused.json().get("problems").get(0).asText()).contains("pgwarden.backends[0].port");
        assertThat(refused.json().get("detail").asText()).contains("running configuration stays");
    }

    @Test
    void probesAreOpenAndReadinessNeedsListenersAndAPrimary() {
        EmbeddedAdmin admin = new EmbeddedAdmin(Optional.of(new io.pgwarden.config.Secret("t")), true);
        try {
            assertThat(admin.get("/healthz").status()).isEqualTo(200);
            assertThat(admin.get("/api/v1/healthz").json().get("status").asText()).isEqualTo("alive");
            assertThat(admin.get("/readyz").status()).isEqualTo(200);
            admin.proxy.listenersBound = false;
            EmbeddedAdmin.Reply notReady = admin.get("/readyz");
            assertThat(notReady.status()).isEqualTo(503);
            assertThat(notReady.json().get("listeners_bound").asBoolean()).isFalse();
            assertThat(notReady.json().get("primary_elected").asBoolean()).isTrue();
        } finally {
            admin.close();
        }
    }

    @Test
    void metricsAreServedInThePrometheusTextFormat() {
        EmbeddedAdmin.Reply reply = admin.get("/metrics");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers().get("Content-Type")).startsWith("text/plain; version=0.0.4");
        assertThat(reply.body()).contains("# TYPE pgwarden_cluster_epoch gauge").contains("pgwarden_cluster_epoch 1.0");
    }
}
