package io.pgwarden.config;

/** Log line format: {@code pgwarden.logging.format}. */
public enum LogFormat implements ConfigEnum {
    TEXT("text"),
    JSON("json");

    private final String configName;

    LogFormat(String configName) {
        this.configName = configName;
    }

    @Override
    public String configName() {
        return configName;
    }
}
