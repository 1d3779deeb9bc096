package io.pgwarden.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgwarden.config.Secret;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP-level errors of the admin pipeline, each a JSON body with the right status. */
class HttpErrorsTest {

    private final EmbeddedAdmin admin = new EmbeddedAdmin();

    @AfterEach
    void close() {
        admin.close();
    }

    @Test
    void unknownRoutesAre404() {
        EmbeddedAdmin.Reply reply = admin.get("/api/v1/clusters");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().get("error").asText()).isEqualTo("not-found");
        assertThat(reply.json().get("detail").asText()).contains("/api/v1/clusters");
    }

    @Test
    void wrongMethodsAre405WithAllow() {
        EmbeddedAdmin.Reply reply = admin.call("GET", "/api/v1/switchover", null, null);
        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.headers().get("Allow")).isEqualTo("POST");
        assertThat(reply.json().get("error").asText()).isEqualTo("method-not-allowed");
        assertThat(admin.call("DELETE", "/api/v1/cluster", EmbeddedAdmin.TOKEN, null).status()).isEqualTo(405);
    }

    @Test
    void mutationsWithoutTokenAre401AndWithAWrongOne403() {
        EmbeddedAdmin.Reply missing = admin.call("POST", "/api/v1/pause", null, null);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.headers().get("WWW-Authenticate")).startsWith("Bearer");
        assertThat(missing.json().get("error").asText()).isEqualTo("unauthorized");
        EmbeddedAdmin.Reply wrong = admin.call("POST", "/api/v1/pause", "not-the-token", null);
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.body()).doesNotContain(EmbeddedAdmin.TOKEN).doesNotContain("not-the-token");
        assertThat(admin.proxy.paused).isFalse();
        for (String uri : List.of("/api/v1/switchover", "/api/v1/failover", "/api/v1/nodes/pg2/fence",
                "/api/v1/nodes/pg2/unfence", "/api/v1/nodes/pg2/drain", "/api/v1/pause", "/api/v1/resume",
                "/api/v1/reload")) {
            assertThat(admin.call("POST", uri, null, null).status()).as(uri).isEqualTo(401);
            assertThat(admin.call("POST", uri, "wrong", null).status()).as(uri).isEqualTo(403);
        }
        assertThat(admin.cluster.calls).isEmpty();
    }

    @Test
    void theTokenIsCheckedBeforeTheBodyIsRead() {
        assertThat(admin.call("POST", "/api/v1/switchover", null, "{not json").status()).isEqualTo(401);
    }

    @Test
    void readsNeedTheTokenWhenConfigured() {
        EmbeddedAdmin closed = new EmbeddedAdmin(Optional.of(new Secret(EmbeddedAdmin.TOKEN)), true);
        try {
            for (String uri : List.of("/api/v1/cluster", "/api/v1/events", "/api/v1/sessions", "/metrics")) {
                assertThat(closed.get(uri).status()).as(uri).isEqualTo(401);
                assertThat(closed.call("GET", uri, EmbeddedAdmin.TOKEN, null).status()).as(uri).isEqualTo(200);
            }
            assertThat(closed.get("/healthz").status()).isEqualTo(200);
        } finally {
            closed.close();
        }
    }

    @Test
    void withoutAConfiguredTokenMutationsAreForbidden() {
        EmbeddedAdmin open = new EmbeddedAdmin(Optional.empty(), false);
        try {
            EmbeddedAdmin.Reply reply = open.call("POST", "/api/v1/pause", "guess", null);
            assertThat(reply.status()).isEqualTo(403);
            assertThat(reply.json().get("detail").asText()).contains("PGWARDEN_ADMIN_TOKEN");
            assertThat(open.get("/api/v1/cluster").status()).isEqualTo(200);
        } finally {
            open.close();
        }
    }

    @Test
    void bodiesOverTheLimitAre413AndTheConnectionCloses() {
        String huge = "{\"to\": \"" + "x".repeat(20_000) + "\"}";
        EmbeddedAdmin.Reply reply = admin.post("/api/v1/switchover", huge);
        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json().get("error").asText()).isEqualTo("payload-too-large");
        assertThat(admin.isOpen()).isFalse();
        assertThat(admin.cluster.calls).isEmpty();
    }

    @Test
    void malformedHttpIs400() {
        List<EmbeddedAdmin.Reply> replies = admin.exchange("GET /api/v1/cluster HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n");
        assertThat(replies).hasSize(1);
        assertThat(replies.get(0).status()).isEqualTo(400);
        assertThat(replies.get(0).json().get("error").asText()).isEqualTo("bad-request");
    }

    @Test
    void unexpectedFailuresAre500WithoutInternals() {
        admin.proxy.reload = () -> {
            throw new IllegalStateException("password=hunter2 in some internal state");
        };
        EmbeddedAdmin.Reply reply = admin.post("/api/v1/reload", null);
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.json().get("error").asText()).isEqualTo("internal-error");
        assertThat(reply.body()).doesNotContain("hunter2").doesNotContain("IllegalStateException")
                .doesNotContain("at io.pgwarden");
        assertThat(admin.post("/api/v1/reload", null).status()).as("the reload slot was released").isEqualTo(500);
    }

    @Test
    void idleConnectionsCloseButNotWhileTheyWaitForAnAnswer() {
        java.util.concurrent.CompletableFuture<io.pgwarden.health.failover.FailoverResult> running =
                new java.util.concurrent.CompletableFuture<>();
        admin.cluster.onSwitchover = target -> running;
        EmbeddedAdmin.Connection waiting = admin.connection();
        assertThat(waiting.exchange(EmbeddedAdmin.request("POST", "/api/v1/switchover", EmbeddedAdmin.TOKEN, null)))
                .isEmpty();
        waiting.idle();
        assertThat(waiting.isOpen()).isTrue();
        running.complete(FakeCluster.succeeded("pg2"));
        assertThat(waiting.exchange("")).extracting(EmbeddedAdmin.Reply::status).containsExactly(200);
        waiting.idle();
        assertThat(waiting.isOpen()).isFalse();
    }

    @Test
    void connectionCloseIsHonoured() {
        List<EmbeddedAdmin.Reply> replies = admin.exchange(
                "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(replies.get(0).status()).isEqualTo(200);
        assertThat(replies.get(0).headers().get("Connection")).isEqualTo("close");
        assertThat(admin.isOpen()).isFalse();
    }
}
