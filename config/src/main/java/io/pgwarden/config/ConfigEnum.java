package io.pgwarden.config;

/**
 * An enumerated setting: the constant as it is spelled in HOCON (kebab-case, e.g.
 * {@code round-robin}), so messages and summaries use the operator's spelling, not Java's.
 */
public interface ConfigEnum {

    /** The value as written in the configuration file. */
    String configName();
}
