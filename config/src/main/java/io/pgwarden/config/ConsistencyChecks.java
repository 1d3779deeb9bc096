package io.pgwarden.config;

import com.typesafe.config.ConfigUtil;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks that relate several values: unique names, listen addresses that can all be bound,
 * the files a TLS mode needs, a token where one is demanded. They run on the records even
 * when single values were wrong, so every problem is reported in one pass; invalid values
 * carry placeholders ("" names and hosts, port 0, TLS off) that these checks pass over.
 */
final class ConsistencyChecks {

    /** Addresses that bind every interface, so they collide with any host on the same port. */
    private static final Set<String> WILDCARD_HOSTS = Set.of("0.0.0.0", "::");

    private final Problems problems;

    ConsistencyChecks(Problems problems) {
        this.problems = problems;
    }

    void check(PgwardenSettings settings) {
        listeners(settings.listeners());
        backends(settings.backends());
        admin(settings.admin(), settings.listeners());
        tls(settings.tls());
    }

    private void listeners(List<ListenerSettings> listeners) {
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < listeners.size(); i++) {
            ListenerSettings listener = listeners.get(i);
            duplicateName(names, listener.name(), "pgwarden.listeners", i);
            for (int j = 0; j < i; j++) {
                ListenerSettings earlier = listeners.get(j);
                if (collide(listener.host(), listener.port(), earlier.host(), earlier.port())) {
                    problems.add("pgwarden.listeners[" + i + "].port", Optional.of(String.valueOf(listener.port())),
                            "already used by pgwarden.listeners[" + j + "] (" + earlier.host() + ")");
                    break;
                }
            }
        }
    }

    private void backends(List<BackendSettings> backends) {
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < backends.size(); i++) {
            BackendSettings backend = backends.get(i);
            duplicateName(names, backend.name(), "pgwarden.backends", i);
            for (int j = 0; j < i; j++) {
                BackendSettings earlier = backends.get(j);
                if (!backend.host().isEmpty() && backend.port() > 0
                        && backend.host().equalsIgnoreCase(earlier.host()) && backend.port() == earlier.port()) {
                    problems.add("pgwarden.backends[" + i + "].port", Optional.of(String.valueOf(backend.port())),
                            "same server as pgwarden.backends[" + j + "] (" + backend.host() + ":" + backend.port() + ")");
                    break;
                }
            }
        }
    }

    private void duplicateName(Map<String, Integer> seen, String name, String list, int index) {
        if (name.isEmpty()) {
            return;
        }
        Integer first = seen.putIfAbsent(name, index);
        if (first != null) {
            problems.add(list + "[" + index + "].name", Optional.of(quote(name)),
                    "duplicate name, also used by " + list + "[" + first + "]");
        }
    }

    private void admin(AdminSettings admin, List<ListenerSettings> listeners) {
        if (!admin.enabled()) {
            return;
        }
        for (int i = 0; i < listeners.size(); i++) {
            ListenerSettings listener = listeners.get(i);
            if (collide(admin.host(), admin.port(), listener.host(), listener.port())) {
                problems.add("pgwarden.admin.port", Optional.of(String.valueOf(admin.port())),
                        "already used by pgwarden.listeners[" + i + "] (" + listener.host() + ")");
                break;
            }
        }
        if (admin.readRequiresToken() && admin.token().isEmpty()) {
            problems.add("pgwarden.admin.read-requires-token", Optional.of("true"),
                    "needs pgwarden.admin.token (or the environment variable PGWARDEN_ADMIN_TOKEN)");
        }
        if (admin.tls().enabled()) {
            String reason = "required when pgwarden.admin.tls.enabled = true";
            readableFile("pgwarden.admin.tls.cert-file", admin.tls().certFile(), reason);
            readableFile("pgwarden.admin.tls.key-file", admin.tls().keyFile(), reason);
        }
    }

    private void tls(TlsSettings tls) {
        ClientTlsSettings client = tls.client();
        if (client.mode().terminatesTls()) {
            String reason = "required when pgwarden.tls.client.mode = " + quote(client.mode().configName());
            readableFile("pgwarden.tls.client.cert-file", client.certFile(), reason);
            readableFile("pgwarden.tls.client.key-file", client.keyFile(), reason);
        }
        BackendTlsSettings backend = tls.backend();
        if (backend.mode() != BackendTlsMode.DISABLE && backend.caFile().isPresent()) {
            readableFile("pgwarden.tls.backend.ca-file", backend.caFile(), "");
        }
    }

    /** Checked now so that check-config, not the first TLS handshake, finds a wrong path. */
    private void readableFile(String key, Optional<Path> file, String whyRequired) {
        if (file.isEmpty()) {
            problems.add(key, Optional.empty(), whyRequired);
        } else if (!Files.isRegularFile(file.get()) || !Files.isReadable(file.get())) {
            problems.add(key, Optional.of(quote(file.get().toString())), "not a readable file");
        }
    }

    private static boolean collide(String host, int port, String otherHost, int otherPort) {
        if (host.isEmpty() || otherHost.isEmpty() || port <= 0 || port != otherPort) {
            return false;
        }
        return host.equalsIgnoreCase(otherHost) || WILDCARD_HOSTS.contains(host) || WILDCARD_HOSTS.contains(otherHost);
    }

    private static String quote(String text) {
        return ConfigUtil.quoteString(text);
    }
}
