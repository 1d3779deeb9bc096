package io.pgwarden.health.failover;

import java.util.Objects;

/** The answer to an operator command such as fence or unfence. */
public record CommandResult(boolean succeeded, String message) {

    public CommandResult {
        Objects.requireNonNull(message, "message");
    }
}
