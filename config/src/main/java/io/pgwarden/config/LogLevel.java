package io.pgwarden.config;

/** Lowest level logged: {@code pgwarden.logging.level}. */
public enum LogLevel implements ConfigEnum {
    TRACE("trace"),
    DEBUG("debug"),
    INFO("info"),
    WARN("warn"),
    ERROR("error");

    private final String configName;

    LogLevel(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
