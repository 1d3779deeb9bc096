package io.pgwarden.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The account pgwarden itself uses on every backend: {@code pgwarden.monitor}. Health probes
 * connect with it, and so do the built-in actions ({@code pg_promote()}, soft fence, follow),
 * which need a superuser or the matching grants. Connections honour {@code pgwarden.tls.backend}.
 *
 * @param user role name
 * @param password empty when not configured (trust or peer authentication)
 * @param database database to connect to
 * @param applicationName {@code application_name} of these connections, so they can be told
 *     apart from client sessions (and spared when a fence terminates client backends)
 */
public record MonitorSettings(String user, Optional<Secret> password, String database, String applicationName) {

    public MonitorSettings {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(applicationName, "applicationName");
    }
}
