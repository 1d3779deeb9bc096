package io.pgwarden.server.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the admin API is and how to authenticate: flags first, then the environment, then the
 * default listener address.
 *
 * @param url base URL, e.g. {@code http://127.0.0.1:6480}, without a trailing slash
 * @param token bearer token, when one was given
 * @param caCertificate PEM certificate to trust for an {@code https} URL signed by a private CA
 */
public record AdminEndpoint(URI url, Optional<String> token, Optional<Path> caCertificate) {

    public static final String DEFAULT_URL = "http://127.0.0.1:6480";
    public static final String URL_VARIABLE = "PGWARDEN_ADMIN_URL";
    public static final String TOKEN_VARIABLE = "PGWARDEN_ADMIN_TOKEN";

    public AdminEndpoint {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(caCertificate, "caCertificate");
    }

    /**
     * @throws IllegalArgumentException when the URL is not an {@code http} or {@code https} URL
     */
    public static AdminEndpoint resolve(String urlFlag, String tokenFlag, Path caCertificate,
            Map<String, String> environment) {
        String url = firstNonBlank(urlFlag, environment.get(URL_VARIABLE)).orElse(DEFAULT_URL);
        Optional<String> token = firstNonBlank(tokenFlag, environment.get(TOKEN_VARIABLE));
        return new AdminEndpoint(parse(url), token, Optional.ofNullable(caCertificate));
    }

    private static URI parse(String text) {
        String trimmed = text.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + text);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("the admin URL must be http://host:port or https://host:port, not " + text);
        }
        return uri;
    }

    private static Optional<String> firstNonBlank(String first, String second) {
        if (first != null && !first.isBlank()) {
            return Optional.of(first.strip());
        }
        if (second != null && !second.isBlank()) {
            return Optional.of(second.strip());
        }
        return Optional.empty();
    }
}
