package io.pgwarden.proxy.topology;

import java.util.Objects;

/**
 * A standby as routing sees it.
 *
 * @param node the server
 * @param healthy whether read sessions may be sent to it (up, streaming, not lagging beyond
 *     the configured limit: the health module decides)
 */
public record Standby(BackendNode node, boolean healthy) {

    public Standby {
        Objects.requireNonNull(node, "node");
    }
}
