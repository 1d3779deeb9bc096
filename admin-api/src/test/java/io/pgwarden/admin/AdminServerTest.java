package io.pgwarden.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgwarden.admin.metrics.PgwardenMetrics;
import io.pgwarden.config.AdminSettings;
import io.pgwarden.config.AdminTlsSettings;
import io.pgwarden.config.Secret;
import io.pgwarden.health.failover.FailoverResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin listener on a real socket: binding, answers completed on other threads, TLS. */
class AdminServerTest {

    private final FakeCluster cluster = new FakeCluster();
    private final FakeProxy proxy = new FakeProxy();
    private final PgwardenMetrics metrics = PgwardenMetrics.create(cluster, proxy);
    private AdminServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        metrics.close();
    }

    private static AdminSettings settings(int port, AdminTlsSettings tls) {
        return new AdminSettings(true, "127.0.0.1", port, Optional.of(new Secret(EmbeddedAdmin.TOKEN)), false, tls);
    }

    private static AdminTlsSettings noTls() {
        return new AdminTlsSettings(false, Optional.empty(), Optional.empty());
    }

    @Test
    void bindsAnEphemeralPortAndAnswersLongOperationsFromAnotherThread() throws Exception {
        CompletableFuture<FailoverResult> switchover = new CompletableFuture<>();
        cluster.onSwitchover = target -> switchover;
        server = new AdminServer(settings(0, noTls()), cluster, proxy.ports(), metrics);
        String base = "http://127.0.0.1:" + server.start().getPort();
        HttpClient client = HttpClient.newHttpClient();

        CompletableFuture<HttpResponse<String>> pending = client.sendAsync(HttpRequest.newBuilder(URI.create(base
                        + "/api/v1/switchover")).header("Authorization", "Bearer " + EmbeddedAdmin.TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"pg3\"}")).build(), HttpResponse.BodyHandlers.ofString());
        // The event loop is free while the switchover runs: other requests are answered meanwhile.
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(pending).isNotDone();

        new Thread(() -> switchover.complete(FakeCluster.succeeded("pg3")), "coordinator").start();
        HttpResponse<String> answered = pending.get(10, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.body()).contains("\"new_primary\":\"pg3\"");

        HttpResponse<String> scrape = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("pgwarden_cluster_epoch").contains("netty_eventexecutor_tasks_pending");
    }

    @Test
    void aPortInUseIsAnIOExceptionAndNothingStaysOpen() throws Exception {
        server = new AdminServer(settings(0, noTls()), cluster, proxy.ports(), metrics);
        int taken = server.start().getPort();
        AdminServer second = new AdminServer(settings(taken, noTls()), cluster, proxy.ports(), metrics);
        assertThatThrownBy(second::start).isInstanceOf(IOException.class).hasMessageContaining(String.valueOf(taken));
        assertThatThrownBy(second::address).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aDisabledListenerDoesNotStart() {
        server = new AdminServer(new AdminSettings(false, "127.0.0.1", 0, Optional.empty(), false, noTls()), cluster,
                proxy.ports(), metrics);
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("disabled");
    }

    @Test
    void servesHttpsWithTheConfiguredCertificate() throws Exception {
        AdminTlsSettings tls = new AdminTlsSettings(true, Optional.of(resource("admin-test-cert.pem")),
                Optional.of(resource("admin-test-key.pem")));
        server = new AdminServer(settings(0, tls), cluster, proxy.ports(), metrics);
        int port = server.start().getPort();

        HttpClient client = HttpClient.newBuilder().sslContext(trusting("admin-test-cert.pem"))
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> reply = client.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + port + "/api/v1/cluster")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.body()).contains("\"primary\":\"pg1\"");

        HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(
                        URI.create("https://localhost:" + port + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void unreadableTlsFilesAreAnIOException() {
        AdminTlsSettings tls = new AdminTlsSettings(true, Optional.of(Path.of("/nonexistent/cert.pem")),
                Optional.of(Path.of("/nonexistent/key.pem")));
        server = new AdminServer(settings(0, tls), cluster, proxy.ports(), metrics);
        assertThatThrownBy(server::start).isInstanceOf(IOException.class).hasMessageContaining("/nonexistent/cert.pem");
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(AdminServerTest.class.getResource("/" + name).toURI());
    }

    static SSLContext trusting(String certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = AdminServerTest.class.getResourceAsStream("/" + certificate)) {
            trusted.setCertificateEntry("admin", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
