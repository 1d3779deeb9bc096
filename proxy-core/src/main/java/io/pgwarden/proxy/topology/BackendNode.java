package io.pgwarden.proxy.topology;

import io.pgwarden.config.BackendSettings;
import java.util.Objects;

/**
 * A PostgreSQL server the proxy can route to. Nodes are identified by name: two snapshots
 * speak of the same node when the names are equal.
 *
 * @param name as configured in {@code pgwarden.backends[].name}
 * @param host host name or IP address
 * @param port TCP port
 */
public record BackendNode(String name, String host, int port) {

    public BackendNode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port of " + name + " must be 1-65535, got " + port);
        }
    }

    public static BackendNode of(BackendSettings backend) {
        return new BackendNode(backend.name(), backend.host(), backend.port());
    }

    /** {@code name (host:port)}, as it appears in log lines. */
    @Override
    public String toString() {
        return name + " (" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + ")";
    }
}
