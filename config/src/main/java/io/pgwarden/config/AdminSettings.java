package io.pgwarden.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The REST admin API and metrics endpoint: {@code pgwarden.admin}.
 *
 * @param enabled whether the admin listener runs at all
 * @param host address to bind
 * @param port TCP port, 1-65535
 * @param token bearer token for mutating endpoints; when empty every mutating endpoint is refused
 * @param readRequiresToken whether read endpoints ({@code GET}, {@code /metrics}) need the token
 *     too; {@code /healthz} and {@code /readyz} never do. When true a token is present (validated)
 * @param tls HTTPS settings
 */
public record AdminSettings(
        boolean enabled, String host, int port, Optional<Secret> token, boolean readRequiresToken, AdminTlsSettings tls) {

    public AdminSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(tls, "tls");
    }
}
