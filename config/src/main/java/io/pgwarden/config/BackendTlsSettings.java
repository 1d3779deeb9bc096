package io.pgwarden.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS from the proxy (and its health probes) to backends: {@code pgwarden.tls.backend}.
 *
 * @param mode libpq-style {@code sslmode}
 * @param caFile PEM CA certificates to trust; empty: the JVM's default trust store. Readable when set (validated)
 */
public record BackendTlsSettings(BackendTlsMode mode, Optional<Path> caFile) {

    public BackendTlsSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(caFile, "caFile");
    }
}
