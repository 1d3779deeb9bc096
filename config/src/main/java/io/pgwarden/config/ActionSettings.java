package io.pgwarden.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A failover action: {@code pgwarden.failover.<action>}.
 *
 * @param command shell command run with {@code /bin/sh -c}; it receives the event as
 *     {@code PGWARDEN_*} environment variables and as JSON on stdin. Empty: the built-in
 *     behaviour of the action (see {@link FailoverSettings}), or nothing where there is none
 * @param timeout how long the command (or built-in) may run before it is killed and counted as failed; positive
 */
public record ActionSettings(Optional<String> command, Duration timeout) {

    public ActionSettings {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(timeout, "timeout");
    }
}
