package io.pgwarden.admin.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.pgwarden.admin.port.ProxyStats;
import io.pgwarden.admin.port.SessionState;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * The proxy's counters as meters. The proxy counts on its hot path in its own
 * {@code AtomicLong}s and {@code LongAdder}s; these meters read them at scrape time, so the proxy
 * neither allocates for metrics nor knows Micrometer. Label values the proxy meets later (a new SQLSTATE, a
 * backend added by a reload) get their meters at the next {@link #refresh()}, which runs before
 * every scrape; meters of keys that are gone are removed.
 */
public final class ProxyMeterBinder implements MeterBinder {

    private final ProxyStats stats;
    /** Registered meters by the key they read, per family. Touched under this object's lock. */
    private final Map<Object, Meter> connections = new HashMap<>();
    private final Map<Object, Meter> backendSessions = new HashMap<>();
    private final Map<Object, Meter> routed = new HashMap<>();
    private final Map<Object, Meter> protocolErrors = new HashMap<>();
    private final Map<Object, Meter> received = new HashMap<>();
    private final Map<Object, Meter> sent = new HashMap<>();
    private final Map<Object, Meter> authFailures = new HashMap<>();
    private MeterRegistry registry;

    public ProxyMeterBinder(ProxyStats stats) {
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        this.registry = registry;
        Registration.gauge(registry, PgwardenMeters.SESSIONS_HELD, stats, ProxyMeterBinder::held);
        refresh();
    }

    /** Registers meters for keys that appeared since the last call and removes those of keys that are gone. */
    public synchronized void refresh() {
        if (registry == null) {
            return;
        }
        sync(connections, stats.clientConnections(), (key, count) -> {
            ProxyStats.ListenerState listenerState = (ProxyStats.ListenerState) key;
            return Registration.gauge(registry, PgwardenMeters.CLIENT_CONNECTIONS, count, Number::doubleValue,
                    listenerState.listener(), listenerState.state().wireName());
        });
        sync(backendSessions, stats.backendSessions(), (key, count) ->
                Registration.gauge(registry, PgwardenMeters.BACKEND_SESSIONS, count, Number::doubleValue, (String) key));
        sync(routed, stats.sessionsRoutedTotal(), (key, count) -> {
            ProxyStats.RoutedTo routedTo = (ProxyStats.RoutedTo) key;
            return Registration.functionCounter(registry, PgwardenMeters.SESSIONS_ROUTED, count, routedTo.node(),
                    routedTo.role().wireName());
        });
        sync(protocolErrors, stats.protocolErrorsTotal(), (key, count) ->
                Registration.functionCounter(registry, PgwardenMeters.PROTOCOL_ERRORS, count, (String) key));
        sync(received, stats.clientBytesReceivedTotal(), (key, count) ->
                Registration.functionCounter(registry, PgwardenMeters.CLIENT_RECEIVED, count, (String) key));
        sync(sent, stats.clientBytesSentTotal(), (key, count) ->
                Registration.functionCounter(registry, PgwardenMeters.CLIENT_SENT, count, (String) key));
        sync(authFailures, stats.authFailuresTotal(), (key, count) ->
                Registration.functionCounter(registry, PgwardenMeters.AUTH_FAILURES, count, (String) key));
    }

    private interface MeterFactory {
        Meter register(Object key, Number value);
    }

    private void sync(Map<Object, Meter> registered, Map<?, ? extends Number> current, MeterFactory factory) {
        for (Map.Entry<?, ? extends Number> entry : current.entrySet()) {
            if (!registered.containsKey(entry.getKey())) {
                registered.put(entry.getKey(), factory.register(entry.getKey(), entry.getValue()));
            }
        }
        for (Iterator<Map.Entry<Object, Meter>> it = registered.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Object, Meter> entry = it.next();
            if (!current.containsKey(entry.getKey())) {
                registry.remove(entry.getValue());
                it.remove();
            }
        }
    }

    private static double held(ProxyStats stats) {
        double held = 0;
        for (Map.Entry<ProxyStats.ListenerState, ? extends Number> entry : stats.clientConnections().entrySet()) {
            if (entry.getKey().state() == SessionState.HELD) {
                held += entry.getValue().doubleValue();
            }
        }
        return held;
    }
}
