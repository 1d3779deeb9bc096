package io.pgwarden.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the merged {@code pgwarden} object into settings records, checking each value on its
 * own (type, range, allowed values). Checks that relate several values are in
 * {@link ConsistencyChecks}.
 *
 * <p>Top-level sections take their defaults from reference.conf. List elements cannot (HOCON
 * replaces a list whole), so their defaults are here and documented in reference.conf.
 */
final class SettingsBinder {

    static final String DEFAULT_LISTENER_HOST = "127.0.0.1";
    static final int DEFAULT_BACKEND_PORT = 5432;
    static final int DEFAULT_BACKEND_PRIORITY = 100;

    /** Names go into URLs, metric tags and environment variables of actions: keep them plain. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    /** Host names, IPv4 and IPv6 literals (with an optional zone), without brackets. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%-]+");
    private static final String NAME_RULE =
            "not a valid name (1-63 letters, digits, '.', '_' or '-', starting with a letter or digit)";

    PgwardenSettings bind(Section root) {
        List<ListenerSettings> listeners = root.elements("listeners").stream().map(this::listener).toList();
        List<BackendSettings> backends = root.elements("backends").stream().map(this::backend).toList();
        MonitorSettings monitor = monitor(root.section("monitor"));
        HealthSettings health = health(root.section("health"));
        FailoverSettings failover = failover(root.section("failover"));
        AdminSettings admin = admin(root.section("admin"));
        LimitSettings limits = limits(root.section("limits"));
        TlsSettings tls = tls(root.section("tls"));
        LoggingSettings logging = logging(root.section("logging"));
        root.finish();
        return new PgwardenSettings(listeners, backends, monitor, health, failover, admin, limits, tls, logging);
    }

    private ListenerSettings listener(Section s) {
        String name = name(s);
        String host = host(s, DEFAULT_LISTENER_HOST);
        int port = s.port("port");
        Optional<Route> route = s.choice("route", Route.class);
        Optional<Balance> balance = s.choice("balance", Balance.class, Balance.ROUND_ROBIN);
        boolean fallbackToPrimary = s.bool("fallback-to-primary", false);
        if (route.isPresent() && route.get() == Route.PRIMARY) {
            // Harmless on their own, but a sign the operator expects balancing where there is none.
            for (String standbyOnly : List.of("balance", "fallback-to-primary")) {
                if (s.has(standbyOnly)) {
                    s.invalid(standbyOnly, "only applies to route = standby");
                }
            }
            fallbackToPrimary = false;
        }
        s.finish();
        return new ListenerSettings(name, host, port, route.orElse(Route.PRIMARY),
                balance.orElse(Balance.ROUND_ROBIN), fallbackToPrimary);
    }

    private BackendSettings backend(Section s) {
        String name = name(s);
        String host = host(s, null);
        int port = s.port("port", DEFAULT_BACKEND_PORT);
        int priority = s.integer("priority", 0, Integer.MAX_VALUE, DEFAULT_BACKEND_PRIORITY);
        s.finish();
        return new BackendSettings(name, host, port, priority);
    }

    /** The element's name, or "" when missing or invalid so duplicate checks pass over it. */
    private static String name(Section s) {
        String name = s.string("name");
        if (!name.isEmpty() && !NAME.matcher(name).matches()) {
            s.invalid("name", NAME_RULE);
            return "";
        }
        return name;
    }

    /** A host name or address, or "" when invalid; a null fallback makes it required. */
    private static String host(Section s, String fallback) {
        String host = s.string("host", fallback);
        if (!host.isEmpty() && !HOST.matcher(host).matches()) {
            s.invalid("host", "not a host name or IP address");
            return "";
        }
        return host;
    }

    private MonitorSettings monitor(Section s) {
        MonitorSettings monitor = new MonitorSettings(
                s.string("user"), s.secret("password"), s.string("database"), s.string("application-name"));
        s.finish();
        return monitor;
    }

    private HealthSettings health(Section s) {
        HealthSettings health = new HealthSettings(
                s.positiveDuration("interval"),
                s.positiveDuration("timeout"),
                s.positiveDuration("connect-timeout"),
                s.integer("failures-before-down", 1, Integer.MAX_VALUE));
        s.finish();
        return health;
    }

    private FailoverSettings failover(Section s) {
        FailoverSettings failover = new FailoverSettings(
                s.choice("mode", FailoverMode.class).orElse(FailoverMode.MANUAL),
                s.bytes("max-lag-on-failover", 0, Long.MAX_VALUE),
                s.positiveDuration("promote-timeout"),
                s.positiveDuration("switchover-timeout"),
                s.bool("auto-rejoin"),
                s.requiredPath("state-file"),
                action(s.section("promote")),
                action(s.section("fence")),
                action(s.section("follow")),
                action(s.section("rejoin")),
                action(s.section("on-state-change")));
        s.finish();
        return failover;
    }

    private ActionSettings action(Section s) {
        ActionSettings action = new ActionSettings(s.optionalString("command"), s.positiveDuration("timeout"));
        s.finish();
        return action;
    }

    private AdminSettings admin(Section s) {
        boolean enabled = s.bool("enabled");
        String host = host(s, null);
        int port = s.port("port");
        Optional<Secret> token = s.secret("token");
        boolean readRequiresToken = s.bool("read-requires-token");
        Section tlsSection = s.section("tls");
        AdminTlsSettings tls = new AdminTlsSettings(
                tlsSection.bool("enabled"), tlsSection.path("cert-file"), tlsSection.path("key-file"));
        tlsSection.finish();
        s.finish();
        return new AdminSettings(enabled, host, port, token, readRequiresToken, tls);
    }

    private LimitSettings limits(Section s) {
        int maxClientConnections = s.integer("max-client-connections", 1, Integer.MAX_VALUE);
        Duration startupTimeout = s.positiveDuration("startup-timeout");
        Duration holdTimeout = s.nonNegativeDuration("hold-timeout");
        // PostgreSQL's own bound is 1 GiB; Integer.MAX_VALUE is the protocol's, 1 KiB a sanity floor.
        int maxMessageSize = (int) s.bytes("max-message-size", 1024, Integer.MAX_VALUE);
        Duration clientIdleTimeout = s.nonNegativeDuration("client-idle-timeout");
        Duration backendConnectTimeout = s.positiveDuration("backend-connect-timeout");
        s.finish();
        return new LimitSettings(maxClientConnections, startupTimeout, holdTimeout, maxMessageSize,
                clientIdleTimeout.isZero() ? Optional.empty() : Optional.of(clientIdleTimeout),
                backendConnectTimeout);
    }

    private TlsSettings tls(Section s) {
        Section clientSection = s.section("client");
        ClientTlsSettings client = new ClientTlsSettings(
                clientSection.choice("mode", ClientTlsMode.class).orElse(ClientTlsMode.DISABLE),
                clientSection.path("cert-file"),
                clientSection.path("key-file"));
        clientSection.finish();
        Section backendSection = s.section("backend");
        BackendTlsSettings backend = new BackendTlsSettings(
                backendSection.choice("mode", BackendTlsMode.class).orElse(BackendTlsMode.DISABLE),
                backendSection.path("ca-file"));
        backendSection.finish();
        s.finish();
        return new TlsSettings(client, backend);
    }

    private LoggingSettings logging(Section s) {
        LoggingSettings logging = new LoggingSettings(
                s.choice("format", LogFormat.class).orElse(LogFormat.TEXT),
                s.choice("level", LogLevel.class).orElse(LogLevel.INFO));
        s.finish();
        return logging;
    }
}
