package io.pgwarden.config;

import java.util.Objects;

/**
 * One PostgreSQL server behind the proxy: {@code pgwarden.backends[i]}. Its role (primary or
 * standby) is not configured: health probes find it out.
 *
 * @param name unique among backends; names the node in logs, metrics, events and the admin API
 * @param host host name or IP address
 * @param port TCP port, 1-65535
 * @param priority failover preference among standbys equally far ahead in WAL: higher wins;
 *     0 means never promote this node
 */
public record BackendSettings(String name, String host, int port, int priority) {

    public BackendSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
    }

    /** Whether failover may promote this node ({@code priority > 0}). */
    public boolean failoverCandidate() {
        return priority > 0;
    }
}
