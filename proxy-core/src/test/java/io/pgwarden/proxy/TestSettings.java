package io.pgwarden.proxy;

import io.pgwarden.config.Balance;
import io.pgwarden.config.ListenerSettings;
import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.config.Route;
import io.pgwarden.config.SettingsLoader;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Settings for tests: the given backends, listener {@code rw} (route primary) and {@code ro}
 * (route standby) on ephemeral loopback ports, and {@code extraHocon} inside {@code pgwarden { }}.
 */
public final class TestSettings {

    /** A backend as {@code name, host, port}. */
    public record Backend(String name, String host, int port) {
    }

    private TestSettings() {
    }

    public static PgwardenSettings of(List<Backend> backends, String extraHocon) {
        String list = backends.stream()
                .map(b -> "{ name = \"" + b.name() + "\", host = \"" + b.host() + "\", port = " + b.port() + " }")
                .collect(Collectors.joining(", ", "[", "]"));
        PgwardenSettings parsed = new SettingsLoader(Map.of()).parse(
                "pgwarden { backends = " + list + "\n admin.enabled = false\n" + extraHocon + "\n}");
        // Port 0 binds an ephemeral port, which a configuration file may not ask for.
        List<ListenerSettings> listeners = List.of(
                new ListenerSettings("rw", "127.0.0.1", 0, Route.PRIMARY, Balance.ROUND_ROBIN, false),
                new ListenerSettings("ro", "127.0.0.1", 0, Route.STANDBY, Balance.ROUND_ROBIN, false));
        return new PgwardenSettings(listeners, parsed.backends(), parsed.monitor(), parsed.health(), parsed.failover(),
                parsed.admin(), parsed.limits(), parsed.tls(), parsed.logging());
    }
}
