package io.pgwarden.admin.port;

import java.util.Map;
import java.util.Objects;

/**
 * The proxy's counters, read by the metrics binder at every scrape. The proxy counts on its hot
 * path in {@code LongAdder}s and {@code AtomicLong}s without allocating; this interface only
 * hands out live {@link Number}s: the adders themselves, or small {@code Number}s whose
 * {@code doubleValue()} reads the current value.
 *
 * <p>Contract of the maps: a key appears when the proxy first meets it (a listener at start, a
 * SQLSTATE or a backend when first used) and then answers through the same {@code Number} for
 * the life of the process (the key of a removed backend may disappear). The maps may be live
 * views; they are iterated on the scrape thread, never modified. Maps named "total" hold counts
 * that only grow; the others hold current values.
 */
public interface ProxyStats {

    /** No proxy: every map empty. */
    ProxyStats NONE = new ProxyStats() {
        @Override
        public Map<ListenerState, ? extends Number> clientConnections() {
            return Map.of();
        }

        @Override
        public Map<String, ? extends Number> backendSessions() {
            return Map.of();
        }

        @Override
        public Map<RoutedTo, ? extends Number> sessionsRoutedTotal() {
            return Map.of();
        }

        @Override
        public Map<String, ? extends Number> clientBytesReceivedTotal() {
            return Map.of();
        }

        @Override
        public Map<String, ? extends Number> clientBytesSentTotal() {
            return Map.of();
        }

        @Override
        public Map<String, ? extends Number> protocolErrorsTotal() {
            return Map.of();
        }

        @Override
        public Map<String, ? extends Number> authFailuresTotal() {
            return Map.of();
        }
    };

    /** Open client connections now, by listener and state. */
    Map<ListenerState, ? extends Number> clientConnections();

    /** Client sessions bound to a backend connection now, by backend name. */
    Map<String, ? extends Number> backendSessions();

    /** Sessions routed to a backend since start, by backend and the role it served. */
    Map<RoutedTo, ? extends Number> sessionsRoutedTotal();

    /** Bytes read from clients since start, by listener. */
    Map<String, ? extends Number> clientBytesReceivedTotal();

    /** Bytes written to clients since start, by listener. */
    Map<String, ? extends Number> clientBytesSentTotal();

    /**
     * {@code ErrorResponse}s the proxy itself sent to clients since start, by SQLSTATE (e.g.
     * {@code 08P01} for a malformed message, {@code 57P01} for a session ended by a failover).
     */
    Map<String, ? extends Number> protocolErrorsTotal();

    /** Client authentication failures since start, by listener. */
    Map<String, ? extends Number> authFailuresTotal();

    /** A key of {@link #clientConnections()}. */
    record ListenerState(String listener, SessionState state) {
        public ListenerState {
            Objects.requireNonNull(listener, "listener");
            Objects.requireNonNull(state, "state");
        }
    }

    /** The role a backend served for a session: a standby listener's fallback to the primary counts as primary. */
    enum ServedRole {
        PRIMARY("primary"),
        STANDBY("standby");

        private final String wireName;

        ServedRole(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** A key of {@link #sessionsRoutedTotal()}. */
    record RoutedTo(String node, ServedRole role) {
        public RoutedTo {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(role, "role");
        }
    }
}
