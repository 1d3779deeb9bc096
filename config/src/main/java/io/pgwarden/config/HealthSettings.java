package io.pgwarden.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Probing of backends: {@code pgwarden.health}.
 *
 * @param interval time between the starts of two probes of one backend; positive
 * @param timeout deadline of one probe (query and answer); positive
 * @param connectTimeout deadline for opening a monitor connection; positive
 * @param failuresBeforeDown consecutive failed probes after which a node is DOWN (fewer: SUSPECT); at least 1
 */
public record HealthSettings(Duration interval, Duration timeout, Duration connectTimeout, int failuresBeforeDown) {

    public HealthSettings {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
    }
}
