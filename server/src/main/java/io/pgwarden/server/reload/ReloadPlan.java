package io.pgwarden.server.reload;

import io.pgwarden.config.ActionSettings;
import io.pgwarden.config.AdminSettings;
import io.pgwarden.config.BackendSettings;
import io.pgwarden.config.ConfigEnum;
import io.pgwarden.config.FailoverSettings;
import io.pgwarden.config.HealthSettings;
import io.pgwarden.config.LimitSettings;
import io.pgwarden.config.ListenerSettings;
import io.pgwarden.config.LoggingSettings;
import io.pgwarden.config.MonitorSettings;
import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.config.Secret;
import io.pgwarden.config.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What a reload changes, sorted into what applies while running and what waits for a restart,
 * each change one line for an operator that starts with its key path.
 *
 * <p>Live: backends (added, removed, address, priority), {@code health}, {@code failover} except
 * its state file, {@code limits} (for new sessions), {@code logging.level}. Everything else binds
 * sockets, opens files or connections at start: listeners, {@code admin}, {@code tls},
 * {@code monitor}, {@code logging.format}, {@code failover.state-file}.
 *
 * @param inEffect the settings in force once the live changes are applied: the new file's values
 *     for what applies live, the running values for what needs a restart. The next reload is
 *     compared with it, so a change that needs a restart is reported again until it is made.
 * @param applied the live changes, e.g. {@code pgwarden.backends[2]: added pg3 (127.0.0.1:5434, priority 100)}
 * @param restartRequired the others, e.g. {@code pgwarden.listeners[0].port: 6432 -> 7432 (needs a restart)}
 * @param backendsNamedAnew backends added, removed or moved to another address: a drain of them ends
 */
public record ReloadPlan(
        PgwardenSettings inEffect, List<String> applied, List<String> restartRequired, Set<String> backendsNamedAnew) {

    private static final String RESTART = " (needs a restart)";
    private static final String NEW_SESSIONS = " (for new sessions)";

    public ReloadPlan {
        Objects.requireNonNull(inEffect, "inEffect");
        applied = List.copyOf(applied);
        restartRequired = List.copyOf(restartRequired);
        backendsNamedAnew = Set.copyOf(backendsNamedAnew);
    }

    /** Whether nothing differs. */
    public boolean empty() {
        return applied.isEmpty() && restartRequired.isEmpty();
    }

    /** The plan from the settings in force to those just read from the file. */
    public static ReloadPlan between(PgwardenSettings running, PgwardenSettings next) {
        Lines applied = new Lines("");
        Lines restart = new Lines(RESTART);
        Set<String> namedAnew = new LinkedHashSet<>();

        backends(running.backends(), next.backends(), applied, namedAnew);
        health(running.health(), next.health(), applied);
        failover(running.failover(), next.failover(), applied, restart);
        limits(running.limits(), next.limits(), new Lines(NEW_SESSIONS, applied.lines));
        applied.value("pgwarden.logging.level", running.logging().level(), next.logging().level());

        listeners(running.listeners(), next.listeners(), restart);
        admin(running.admin(), next.admin(), restart);
        monitor(running.monitor(), next.monitor(), restart);
        tls(running.tls(), next.tls(), restart);
        restart.value("pgwarden.logging.format", running.logging().format(), next.logging().format());

        PgwardenSettings inEffect = new PgwardenSettings(
                running.listeners(),
                next.backends(),
                running.monitor(),
                next.health(),
                withStateFile(next.failover(), running.failover().stateFile()),
                running.admin(),
                next.limits(),
                running.tls(),
                new LoggingSettings(running.logging().format(), next.logging().level()));
        return new ReloadPlan(inEffect, applied.lines, restart.lines, namedAnew);
    }

    // ---- what applies live

    private static void backends(
            List<BackendSettings> before, List<BackendSettings> after, Lines applied, Set<String> namedAnew) {
        Map<String, BackendSettings> previous = byName(before, BackendSettings::name);
        Map<String, BackendSettings> wanted = byName(after, BackendSettings::name);
        for (BackendSettings old : before) {
            if (!wanted.containsKey(old.name())) {
                applied.line("pgwarden.backends: removed " + old.name() + " (" + address(old.host(), old.port())
                        + "): its sessions were ended, it is no longer probed or routed");
                namedAnew.add(old.name());
            }
        }
        for (int i = 0; i < after.size(); i++) {
            BackendSettings backend = after.get(i);
            String key = "pgwarden.backends[" + i + "]";
            BackendSettings old = previous.get(backend.name());
            if (old == null) {
                applied.line(key + ": added " + backend.name() + " (" + address(backend.host(), backend.port())
                        + ", priority " + backend.priority() + "): probed from now on, routed once it answers");
                namedAnew.add(backend.name());
                continue;
            }
            boolean moved = !old.host().equals(backend.host()) || old.port() != backend.port();
            String movedNote = " (" + backend.name() + "): its sessions were ended, it is probed at the new address";
            if (!old.host().equals(backend.host())) {
                applied.line(key + ".host: " + old.host() + " -> " + backend.host() + movedNote);
            }
            if (old.port() != backend.port()) {
                applied.line(key + ".port: " + old.port() + " -> " + backend.port() + movedNote);
            }
            if (moved) {
                namedAnew.add(backend.name());
            }
            if (old.priority() != backend.priority()) {
                applied.line(key + ".priority: " + old.priority() + " -> " + backend.priority()
                        + " (" + backend.name() + ")");
            }
        }
        List<String> oldOrder = before.stream().map(BackendSettings::name).filter(wanted::containsKey).toList();
        List<String> newOrder = after.stream().map(BackendSettings::name).filter(previous::containsKey).toList();
        if (!oldOrder.equals(newOrder)) {
            applied.line("pgwarden.backends: order " + oldOrder + " -> " + newOrder);
        }
    }

    private static void health(HealthSettings before, HealthSettings after, Lines applied) {
        applied.value("pgwarden.health.interval", before.interval(), after.interval());
        applied.value("pgwarden.health.timeout", before.timeout(), after.timeout());
        applied.value("pgwarden.health.connect-timeout", before.connectTimeout(), after.connectTimeout());
        applied.value("pgwarden.health.failures-before-down", before.failuresBeforeDown(), after.failuresBeforeDown());
    }

    private static void failover(FailoverSettings before, FailoverSettings after, Lines applied, Lines restart) {
        String key = "pgwarden.failover.";
        applied.value(key + "mode", before.mode(), after.mode());
        applied.bytes(key + "max-lag-on-failover", before.maxLagOnFailover(), after.maxLagOnFailover());
        applied.value(key + "promote-timeout", before.promoteTimeout(), after.promoteTimeout());
        applied.value(key + "switchover-timeout", before.switchoverTimeout(), after.switchoverTimeout());
        applied.value(key + "auto-rejoin", before.autoRejoin(), after.autoRejoin());
        action(key + "promote", before.promote(), after.promote(), applied);
        action(key + "fence", before.fence(), after.fence(), applied);
        action(key + "follow", before.follow(), after.follow(), applied);
        action(key + "rejoin", before.rejoin(), after.rejoin(), applied);
        action(key + "on-state-change", before.onStateChange(), after.onStateChange(), applied);
        // The state store is opened once; moving it while running could split the persisted truth.
        restart.value(key + "state-file", before.stateFile(), after.stateFile());
    }

    private static void action(String key, ActionSettings before, ActionSettings after, Lines applied) {
        // Commands may carry credentials: say that one changed, not what it says.
        applied.secret(key + ".command", before.command(), after.command());
        applied.value(key + ".timeout", before.timeout(), after.timeout());
    }

    private static void limits(LimitSettings before, LimitSettings after, Lines applied) {
        String key = "pgwarden.limits.";
        applied.value(key + "max-client-connections", before.maxClientConnections(), after.maxClientConnections());
        applied.value(key + "startup-timeout", before.startupTimeout(), after.startupTimeout());
        applied.value(key + "hold-timeout", before.holdTimeout(), after.holdTimeout());
        applied.bytes(key + "max-message-size", before.maxMessageSize(), after.maxMessageSize());
        applied.value(key + "client-idle-timeout", before.clientIdleTimeout().orElse(Duration.ZERO),
                after.clientIdleTimeout().orElse(Duration.ZERO));
        applied.value(key + "backend-connect-timeout", before.backendConnectTimeout(), after.backendConnectTimeout());
    }

    // ---- what needs a restart

    private static void listeners(List<ListenerSettings> before, List<ListenerSettings> after, Lines restart) {
        Map<String, ListenerSettings> previous = byName(before, ListenerSettings::name);
        Map<String, ListenerSettings> wanted = byName(after, ListenerSettings::name);
        for (ListenerSettings old : before) {
            if (!wanted.containsKey(old.name())) {
                restart.line("pgwarden.listeners: removed " + old.name() + " (" + address(old.host(), old.port()) + ")");
            }
        }
        for (int i = 0; i < after.size(); i++) {
            ListenerSettings listener = after.get(i);
            String key = "pgwarden.listeners[" + i + "]";
            ListenerSettings old = previous.get(listener.name());
            if (old == null) {
                restart.line(key + ": added " + listener.name() + " (" + address(listener.host(), listener.port())
                        + ", route " + listener.route().configName() + ")");
                continue;
            }
            restart.value(key + ".host", old.host(), listener.host());
            restart.value(key + ".port", old.port(), listener.port());
            restart.value(key + ".route", old.route(), listener.route());
            restart.value(key + ".balance", old.balance(), listener.balance());
            restart.value(key + ".fallback-to-primary", old.fallbackToPrimary(), listener.fallbackToPrimary());
        }
    }

    private static void admin(AdminSettings before, AdminSettings after, Lines restart) {
        String key = "pgwarden.admin.";
        restart.value(key + "enabled", before.enabled(), after.enabled());
        restart.value(key + "host", before.host(), after.host());
        restart.value(key + "port", before.port(), after.port());
        restart.secret(key + "token", before.token().map(Secret::value), after.token().map(Secret::value));
        restart.value(key + "read-requires-token", before.readRequiresToken(), after.readRequiresToken());
        restart.value(key + "tls.enabled", before.tls().enabled(), after.tls().enabled());
        restart.value(key + "tls.cert-file", before.tls().certFile(), after.tls().certFile());
        restart.value(key + "tls.key-file", before.tls().keyFile(), after.tls().keyFile());
    }

    private static void monitor(MonitorSettings before, MonitorSettings after, Lines restart) {
        String key = "pgwarden.monitor.";
        restart.value(key + "user", before.user(), after.user());
        restart.secret(key + "password", before.password().map(Secret::value), after.password().map(Secret::value));
        restart.value(key + "database", before.database(), after.database());
        restart.value(key + "application-name", before.applicationName(), after.applicationName());
    }

    private static void tls(TlsSettings before, TlsSettings after, Lines restart) {
        String key = "pgwarden.tls.";
        restart.value(key + "client.mode", before.client().mode(), after.client().mode());
        restart.value(key + "client.cert-file", before.client().certFile(), after.client().certFile());
        restart.value(key + "client.key-file", before.client().keyFile(), after.client().keyFile());
        restart.value(key + "backend.mode", before.backend().mode(), after.backend().mode());
        restart.value(key + "backend.ca-file", before.backend().caFile(), after.backend().caFile());
    }

    // ---- helpers

    private static FailoverSettings withStateFile(FailoverSettings failover, Path stateFile) {
        return new FailoverSettings(failover.mode(), failover.maxLagOnFailover(), failover.promoteTimeout(),
                failover.switchoverTimeout(), failover.autoRejoin(), stateFile, failover.promote(), failover.fence(),
                failover.follow(), failover.rejoin(), failover.onStateChange());
    }

    private static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
        Map<String, T> map = new LinkedHashMap<>();
        items.forEach(item -> map.put(name.apply(item), item));
        return map;
    }

    private static String address(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Lines of one list, each ending with the same note. */
    private static final class Lines {
        final List<String> lines;
        private final String note;

        Lines(String note) {
            this(note, new ArrayList<>());
        }

        Lines(String note, List<String> lines) {
            this.note = note;
            this.lines = lines;
        }

        void line(String text) {
            lines.add(text + note);
        }

        void value(String key, Object before, Object after) {
            if (!before.equals(after)) {
                line(key + ": " + show(before) + " -> " + show(after));
            }
        }

        void bytes(String key, long before, long after) {
            if (before != after) {
                line(key + ": " + size(before) + " -> " + size(after));
            }
        }

        void secret(String key, Optional<String> before, Optional<String> after) {
            if (!before.equals(after)) {
                String what = before.isEmpty() ? "set" : after.isEmpty() ? "removed" : "changed";
                line(key + ": " + what);
            }
        }
    }

    /** A value as an operator writes it in the file: {@code 250ms}, {@code manual}, {@code /etc/x.pem}. */
    static String show(Object value) {
        if (value instanceof Duration duration) {
            return duration(duration);
        }
        if (value instanceof ConfigEnum choice) {
            return choice.configName();
        }
        if (value instanceof Optional<?> optional) {
            return optional.map(ReloadPlan::show).orElse("(none)");
        }
        if (value instanceof String text && text.isEmpty()) {
            return "\"\"";
        }
        return String.valueOf(value);
    }

    static String duration(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0s";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }

    static String size(long bytes) {
        String[] units = {"GiB", "MiB", "KiB"};
        long[] factors = {1L << 30, 1L << 20, 1L << 10};
        for (int i = 0; i < units.length; i++) {
            if (bytes != 0 && bytes % factors[i] == 0) {
                return bytes / factors[i] + units[i];
            }
        }
        return bytes + " bytes";
    }
}
