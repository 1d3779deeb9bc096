package io.pgwarden.config;

/** How a standby listener spreads sessions over healthy standbys: {@code pgwarden.listeners[].balance}. */
public enum Balance implements ConfigEnum {
    ROUND_ROBIN("round-robin"),
    LEAST_CONNECTIONS("least-connections");

    private final String configName;

    Balance(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
