package io.pgwarden.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * HTTPS for the admin listener: {@code pgwarden.admin.tls}.
 *
 * @param enabled serve HTTPS instead of HTTP
 * @param certFile PEM certificate chain; present and readable whenever {@code enabled} (validated)
 * @param keyFile PEM private key (PKCS#8); present and readable whenever {@code enabled} (validated)
 */
public record AdminTlsSettings(boolean enabled, Optional<Path> certFile, Optional<Path> keyFile) {

    public AdminTlsSettings {
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
    }
}
