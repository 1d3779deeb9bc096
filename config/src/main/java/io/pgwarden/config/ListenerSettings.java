package io.pgwarden.config;

import java.util.Objects;

/**
 * One client-facing endpoint: {@code pgwarden.listeners[i]}.
 *
 * @param name unique among listeners; used in logs, metrics and the admin API
 * @param host address to bind (an IP literal or a host name; {@code 0.0.0.0} or {@code ::} for all)
 * @param port TCP port to bind, 1-65535
 * @param route where sessions go
 * @param balance how sessions spread over standbys; meaningful for {@link Route#STANDBY} only
 *     (a primary listener carries the default, {@link Balance#ROUND_ROBIN})
 * @param fallbackToPrimary whether a standby listener sends sessions to the primary while no
 *     standby is healthy; always false for a primary listener
 */
public record ListenerSettings(
        String name, String host, int port, Route route, Balance balance, boolean fallbackToPrimary) {

    public ListenerSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(balance, "balance");
    }
}
