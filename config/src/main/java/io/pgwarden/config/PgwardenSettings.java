package io.pgwarden.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The whole validated configuration, {@code pgwarden { ... }}. Obtain it from
 * {@link SettingsLoader}; every value in it has passed validation.
 *
 * @param listeners client-facing endpoints, in file order; names unique
 * @param backends PostgreSQL servers, in file order; names unique; may be empty (see {@link #requireRunnable()})
 * @param monitor the account used by probes and built-in actions
 * @param health probing
 * @param failover failover policy and actions
 * @param admin REST admin API and metrics
 * @param limits protective limits of the proxy
 * @param tls TLS on both hops
 * @param logging log format and level
 */
public record PgwardenSettings(
        List<ListenerSettings> listeners,
        List<BackendSettings> backends,
        MonitorSettings monitor,
        HealthSettings health,
        FailoverSettings failover,
        AdminSettings admin,
        LimitSettings limits,
        TlsSettings tls,
        LoggingSettings logging) {

    public PgwardenSettings {
        listeners = List.copyOf(listeners);
        backends = List.copyOf(backends);
        Objects.requireNonNull(monitor, "monitor");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(logging, "logging");
    }

    public Optional<ListenerSettings> listener(String name) {
        return listeners.stream().filter(listener -> listener.name().equals(name)).findFirst();
    }

    public Optional<BackendSettings> backend(String name) {
        return backends.stream().filter(backend -> backend.name().equals(name)).findFirst();
    }

    /**
     * Checks what loading alone does not demand but running the proxy does: at least one
     * listener and one backend. {@code check-config} on a file meant for {@code run} can call it too.
     *
     * @return this, for chaining after {@code load}
     * @throws InvalidConfigException naming every unmet requirement
     */
    public PgwardenSettings requireRunnable() {
        List<ConfigProblem> problems = new ArrayList<>();
        if (listeners.isEmpty()) {
            problems.add(new ConfigProblem("pgwarden.listeners", Optional.of("[]"),
                    "at least one listener is needed to run", Optional.empty()));
        }
        if (backends.isEmpty()) {
            problems.add(new ConfigProblem("pgwarden.backends", Optional.of("[]"),
                    "at least one backend is needed to run", Optional.empty()));
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return this;
    }

    /**
     * One line for {@code check-config}, e.g. {@code 2 listeners (rw 127.0.0.1:6432 primary,
     * ro 127.0.0.1:6433 standby), 3 backends (pg1, pg2, pg3), failover automatic, admin 127.0.0.1:6480}.
     * Holds no secrets.
     */
    public String summary() {
        StringBuilder line = new StringBuilder();
        line.append(count(listeners.size(), "listener"));
        if (!listeners.isEmpty()) {
            line.append(listeners.stream()
                    .map(listener -> listener.name() + " " + address(listener.host(), listener.port())
                            + " " + listener.route().configName())
                    .collect(Collectors.joining(", ", " (", ")")));
        }
        line.append(", ").append(count(backends.size(), "backend"));
        if (!backends.isEmpty()) {
            line.append(backends.stream().map(BackendSettings::name).collect(Collectors.joining(", ", " (", ")")));
        }
        line.append(", failover ").append(failover.mode().configName());
        line.append(", admin ").append(admin.enabled() ? address(admin.host(), admin.port()) : "off");
        return line.toString();
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String address(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
