package io.pgwarden.admin.port;

import java.util.List;

/**
 * What a reload did.
 *
 * @param applied changes now in effect, one line each, e.g. {@code pgwarden.backends: added pg4}
 * @param restartRequired changes read but not applied until a restart, one line each with the
 *     key path, e.g. {@code pgwarden.listeners[0].port: 6432 -> 7432 (needs a restart)}
 */
public record ReloadOutcome(List<String> applied, List<String> restartRequired) {

    public ReloadOutcome {
        applied = List.copyOf(applied);
        restartRequired = List.copyOf(restartRequired);
    }
}
