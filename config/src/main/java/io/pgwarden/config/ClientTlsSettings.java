package io.pgwarden.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS termination for clients: {@code pgwarden.tls.client}.
 *
 * @param mode whether {@code SSLRequest} is accepted, and whether it is required
 * @param certFile PEM certificate chain; present and readable whenever the mode terminates TLS (validated)
 * @param keyFile PEM private key (PKCS#8); present and readable whenever the mode terminates TLS (validated)
 */
public record ClientTlsSettings(ClientTlsMode mode, Optional<Path> certFile, Optional<Path> keyFile) {

    public ClientTlsSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
    }
}
