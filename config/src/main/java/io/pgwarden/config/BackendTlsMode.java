package io.pgwarden.config;

/**
 * TLS between the proxy and backends, with the meanings of libpq's {@code sslmode}:
 * {@code pgwarden.tls.backend.mode}. Health probes use it too.
 */
public enum BackendTlsMode implements ConfigEnum {
    /** Never send {@code SSLRequest}. */
    DISABLE("disable"),
    /** Send {@code SSLRequest}; continue in plain text when the server answers {@code N}. */
    PREFER("prefer"),
    /** TLS or no connection; the certificate is checked only when a CA file is configured. */
    REQUIRE("require"),
    /** TLS, certificate chain checked against the CA, and host name checked against the certificate. */
    VERIFY_FULL("verify-full");

    private final String configName;

    BackendTlsMode(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
