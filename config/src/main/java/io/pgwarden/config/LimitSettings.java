package io.pgwarden.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Protective limits of the proxy: {@code pgwarden.limits}.
 *
 * @param maxClientConnections open client connections over all listeners; one more gets FATAL 53300
 * @param startupTimeout from accept until authentication completes; a slower client gets 08P01 and a close
 * @param holdTimeout how long a new session waits for a backend while none is eligible (failover
 *     in progress) before FATAL 57P03; zero refuses at once
 * @param maxMessageSize largest regular protocol message in bytes; an int because protocol
 *     lengths are int32
 * @param clientIdleTimeout close a client idle between transactions this long; empty: never
 * @param backendConnectTimeout deadline for the proxy's TCP connect to a backend
 */
public record LimitSettings(
        int maxClientConnections,
        Duration startupTimeout,
        Duration holdTimeout,
        int maxMessageSize,
        Optional<Duration> clientIdleTimeout,
        Duration backendConnectTimeout) {

    public LimitSettings {
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        Objects.requireNonNull(holdTimeout, "holdTimeout");
        Objects.requireNonNull(clientIdleTimeout, "clientIdleTimeout");
        Objects.requireNonNull(backendConnectTimeout, "backendConnectTimeout");
    }
}
