package io.pgwarden.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgwarden.admin.http.AdminJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Calls the admin API for the CLI and turns every failure into one line and an exit status:
 * {@link #UNREACHABLE} when nothing answers, {@link #NOT_AUTHORIZED} for 401 and 403,
 * {@link #REFUSED} for any other error status.
 */
final class AdminClient {

    /** The request was refused or failed: 4xx other than 401/403, 5xx. */
    static final int REFUSED = 1;
    /** The new configuration of a reload is invalid, as {@code check-config} would exit. */
    static final int INVALID_CONFIG = 2;
    /** The admin API could not be reached. */
    static final int UNREACHABLE = 3;
    /** Missing or wrong token, or no token configured on the server. */
    static final int NOT_AUTHORIZED = 4;

    /** A switchover may take as long as {@code failover.switchover-timeout} plus a promotion. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

    private final AdminEndpoint endpoint;
    private final HttpClient http;
    private final ObjectMapper json = AdminJson.lenient();

    AdminClient(AdminEndpoint endpoint) throws AdminCallFailed {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (endpoint.caCertificate().isPresent()) {
            builder.sslContext(trusting(endpoint));
        }
        this.http = builder.build();
    }

    <T> T get(String path, Class<T> type) throws AdminCallFailed {
        return read(send("GET", path, HttpRequest.BodyPublishers.noBody(), null), type, path);
    }

    <T> T post(String path, String body, Class<T> type, String operation) throws AdminCallFailed {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        return read(send("POST", path, publisher, operation), type, path);
    }

    /** The JSON of a request body with one string field, escaped. */
    String object(String field, String value) {
        return json.createObjectNode().put(field, value).toString();
    }

    private HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body, String operation)
            throws AdminCallFailed {
        URI uri = URI.create(endpoint.url() + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).method(method, body)
                .header("Accept", "application/json");
        if (!method.equals("GET")) {
            request.header("Content-Type", "application/json");
        }
        endpoint.token().ifPresent(token -> request.header("Authorization", "Bearer " + token));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new AdminCallFailed(UNREACHABLE, "cannot reach the admin API at " + endpoint.url()
                    + ": connection refused or timed out (is pgwarden running? set --admin-url or "
                    + AdminEndpoint.URL_VARIABLE + ")");
        } catch (HttpTimeoutException e) {
            throw new AdminCallFailed(UNREACHABLE, "the admin API at " + endpoint.url() + " did not answer "
                    + method + " " + path + " within " + REQUEST_TIMEOUT.toMinutes() + " minutes");
        } catch (SSLException e) {
            throw new AdminCallFailed(UNREACHABLE, "TLS with the admin API at " + endpoint.url() + " failed: "
                    + e.getMessage() + " (for a private certificate pass --cacert)");
        } catch (IOException e) {
            throw new AdminCallFailed(UNREACHABLE, "cannot talk to the admin API at " + endpoint.url() + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminCallFailed(UNREACHABLE, "interrupted");
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response;
        }
        String detail = detail(response.body()).orElse("HTTP " + status);
        String what = operation == null ? method + " " + path : operation;
        if (status == 401) {
            throw new AdminCallFailed(NOT_AUTHORIZED, what + " needs the admin token: pass --token or set "
                    + AdminEndpoint.TOKEN_VARIABLE + " (" + detail + ")");
        }
        if (status == 403) {
            throw new AdminCallFailed(NOT_AUTHORIZED, what + " was not allowed: " + detail);
        }
        if (status == 409) {
            throw new AdminCallFailed(REFUSED, what + " refused: " + detail);
        }
        if (status == 400 && "invalid-config".equals(field(response.body(), "error"))) {
            throw new AdminCallFailed(INVALID_CONFIG, what + " refused: " + detail + problems(response.body()));
        }
        throw new AdminCallFailed(REFUSED, what + " failed (HTTP " + status + "): " + detail
                + problems(response.body()));
    }

    private <T> T read(HttpResponse<String> response, Class<T> type, String path) throws AdminCallFailed {
        try {
            return json.readValue(response.body(), type);
        } catch (IOException e) {
            throw new AdminCallFailed(REFUSED, "unexpected answer from " + endpoint.url() + path + ": "
                    + e.getMessage());
        }
    }

    private java.util.Optional<String> detail(String body) {
        return java.util.Optional.ofNullable(field(body, "detail"));
    }

    private String field(String body, String name) {
        try {
            return json.readTree(body).path(name).asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** The problem lines of a refused reload, one per line after the message. */
    private String problems(String body) {
        try {
            JsonNode problems = json.readTree(body).path("problems");
            if (!problems.isArray() || problems.isEmpty()) {
                return "";
            }
            StringBuilder lines = new StringBuilder();
            problems.forEach(problem -> lines.append(System.lineSeparator()).append("  ").append(problem.asText()));
            return lines.toString();
        } catch (IOException e) {
            return "";
        }
    }

    private static SSLContext trusting(AdminEndpoint endpoint) throws AdminCallFailed {
        try (InputStream in = Files.newInputStream(endpoint.caCertificate().get())) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int index = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + index++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new AdminCallFailed(REFUSED, "cannot read the certificate " + endpoint.caCertificate().get() + ": "
                    + e.getMessage());
        }
    }
}
