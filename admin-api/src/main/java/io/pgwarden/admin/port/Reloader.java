package io.pgwarden.admin.port;

import io.pgwarden.config.InvalidConfigException;

/**
 * Re-reads the configuration file and applies what can change while running ({@code POST
 * /api/v1/reload}; the server also calls it on SIGHUP). The server implements it. The admin API
 * calls it on one of its worker threads, never on an event loop, one reload at a time; it may
 * take a while.
 */
@FunctionalInterface
public interface Reloader {

    /** Nothing to reload from: every reload is refused. */
    Reloader NONE = () -> {
        throw new UnsupportedOperationException("this process was not started from a configuration file");
    };

    /**
     * @throws InvalidConfigException when the new configuration is invalid: nothing is applied and
     *     the running configuration stays, the problems are the ones {@code check-config} reports
     */
    ReloadOutcome reload();
}
