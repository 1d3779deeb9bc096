package io.pgwarden.config;

import java.util.Objects;

/**
 * TLS on both hops: {@code pgwarden.tls}.
 *
 * @param client clients to proxy
 * @param backend proxy to backends
 */
public record TlsSettings(ClientTlsSettings client, BackendTlsSettings backend) {

    public TlsSettings {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(backend, "backend");
    }
}
