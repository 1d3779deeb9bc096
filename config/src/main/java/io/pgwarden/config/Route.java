package io.pgwarden.config;

/** Where a listener sends its sessions: {@code pgwarden.listeners[].route}. */
public enum Route implements ConfigEnum {
    PRIMARY("primary"),
    STANDBY("standby");

    private final String configName;

    Route(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
