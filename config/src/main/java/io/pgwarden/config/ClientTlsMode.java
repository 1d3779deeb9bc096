package io.pgwarden.config;

/** TLS between clients and the proxy: {@code pgwarden.tls.client.mode}. */
public enum ClientTlsMode implements ConfigEnum {
    /** Answer every {@code SSLRequest} with {@code N}; clients continue in plain text. */
    DISABLE("disable"),
    /** Answer {@code SSLRequest} with {@code S} and terminate TLS; plain-text clients are served too. */
    ALLOW("allow"),
    /** As {@link #ALLOW}, but a client that starts without {@code SSLRequest} is refused. */
    REQUIRE("require");

    private final String configName;

    ClientTlsMode(String configName) {
        this.configName = configName;
    }

    /** Whether the proxy needs a certificate and key to serve this mode. */
    public boolean terminatesTls() {
        return this != DISABLE;
    }

    @Override
    public String configName() {
        return configName;
    }
}
