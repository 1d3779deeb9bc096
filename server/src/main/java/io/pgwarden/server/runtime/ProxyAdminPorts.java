package io.pgwarden.server.runtime;

import io.pgwarden.admin.port.AdminPorts;
import io.pgwarden.admin.port.ClientSession;
import io.pgwarden.admin.port.NodeDrain;
import io.pgwarden.admin.port.ProxyStats;
import io.pgwarden.admin.port.ProxyStats.ListenerState;
import io.pgwarden.admin.port.ProxyStats.RoutedTo;
import io.pgwarden.admin.port.ProxyStats.ServedRole;
import io.pgwarden.admin.port.Reloader;
import io.pgwarden.admin.port.SessionDirectory;
import io.pgwarden.admin.port.SessionState;
import io.pgwarden.admin.port.TrafficControl;
import io.pgwarden.protocol.SqlState;
import io.pgwarden.proxy.listener.ProxyServer;
import io.pgwarden.proxy.session.NodeRole;
import io.pgwarden.proxy.session.ProxyStatistics;
import io.pgwarden.proxy.session.SessionInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * The proxy as the admin API sees it. Counters are handed out as live numbers that read the
 * proxy's own counters when Prometheus scrapes, so serving metrics costs the hot path nothing.
 */
final class ProxyAdminPorts {

    private static final String ENDED_BY_OPERATOR = "terminating connection: ended by an operator (pgwarden admin API)";

    private ProxyAdminPorts() {}

    static AdminPorts of(ProxyServer proxy, Reloader reloader) {
        return new AdminPorts(stats(proxy.statistics()), sessions(proxy), drain(proxy), traffic(proxy),
                () -> true, reloader);
    }

    static ProxyStats stats(ProxyStatistics statistics) {
        return new ProxyStats() {
            @Override
            public Map<ListenerState, ? extends Number> clientConnections() {
                Map<ListenerState, Number> connections = new LinkedHashMap<>();
                for (String listener : statistics.listeners()) {
                    for (var state : statistics.clientConnections(listener).keySet()) {
                        if (state == io.pgwarden.proxy.session.SessionState.CLOSED) {
                            continue;
                        }
                        connections.put(new ListenerState(listener, SessionState.valueOf(state.name())),
                                live(() -> statistics.clientConnections(listener).getOrDefault(state, 0)));
                    }
                }
                return connections;
            }

            @Override
            public Map<String, ? extends Number> backendSessions() {
                Map<String, Number> sessions = new LinkedHashMap<>();
                for (String node : statistics.backendSessions().keySet()) {
                    sessions.put(node, live(() -> statistics.backendSessions(node)));
                }
                return sessions;
            }

            @Override
            public Map<RoutedTo, ? extends Number> sessionsRoutedTotal() {
                Map<RoutedTo, Number> routed = new LinkedHashMap<>();
                statistics.routedSessions().forEach((node, roles) -> roles.keySet().forEach(role ->
                        routed.put(new RoutedTo(node, served(role)), live(() -> statistics.routedSessions(node, role)))));
                return routed;
            }

            @Override
            public Map<String, ? extends Number> clientBytesReceivedTotal() {
                return perListener(statistics, statistics::bytesFromClients);
            }

            @Override
            public Map<String, ? extends Number> clientBytesSentTotal() {
                return perListener(statistics, statistics::bytesToClients);
            }

            @Override
            public Map<String, ? extends Number> protocolErrorsTotal() {
                Map<String, Number> errors = new LinkedHashMap<>();
                for (SqlState state : statistics.errorsSent().keySet()) {
                    errors.put(state.code(), live(() -> statistics.errorsSent(state)));
                }
                return errors;
            }

            @Override
            public Map<String, ? extends Number> authFailuresTotal() {
                return perListener(statistics, statistics::authenticationFailures);
            }
        };
    }

    private static Map<String, Number> perListener(ProxyStatistics statistics, ToLongFunction<String> counter) {
        Map<String, Number> values = new LinkedHashMap<>();
        for (String listener : statistics.listeners()) {
            values.put(listener, live(() -> counter.applyAsLong(listener)));
        }
        return values;
    }

    private static ServedRole served(NodeRole role) {
        return role == NodeRole.PRIMARY ? ServedRole.PRIMARY : ServedRole.STANDBY;
    }

    private static SessionDirectory sessions(ProxyServer proxy) {
        return new SessionDirectory() {
            @Override
            public List<ClientSession> sessions() {
                return proxy.sessions().stream().map(ProxyAdminPorts::clientSession).toList();
            }

            @Override
            public boolean terminate(long id) {
                return proxy.terminateSession(id, ENDED_BY_OPERATOR);
            }
        };
    }

    private static ClientSession clientSession(SessionInfo session) {
        return new ClientSession(session.id(), session.listener(), String.valueOf(session.client()), session.user(),
                session.database(), session.applicationName(), session.node(),
                SessionState.valueOf(session.state().name()), session.openedAt());
    }

    private static NodeDrain drain(ProxyServer proxy) {
        return new NodeDrain() {
            @Override
            public int drain(String node) {
                proxy.drain(node);
                return proxy.statistics().backendSessions(node);
            }

            @Override
            public Set<String> draining() {
                return proxy.drainedNodes();
            }
        };
    }

    private static TrafficControl traffic(ProxyServer proxy) {
        return new TrafficControl() {
            @Override
            public void pause() {
                proxy.pause();
            }

            @Override
            public void resume() {
                proxy.resume();
            }

            @Override
            public boolean paused() {
                return proxy.paused();
            }
        };
    }

    /** A number that reads its value when asked: what Micrometer's gauges and function counters keep. */
    private static Number live(LongSupplier value) {
        return new LiveNumber(value);
    }

    private static final class LiveNumber extends Number {
        private static final long serialVersionUID = 1L;
        private final transient LongSupplier value;

        LiveNumber(LongSupplier value) {
            this.value = value;
        }

        @Override
        public int intValue() {
            return (int) value.getAsLong();
        }

        @Override
        public long longValue() {
            return value.getAsLong();
        }

        @Override
        public float floatValue() {
            return value.getAsLong();
        }

        @Override
        public double doubleValue() {
            return value.getAsLong();
        }
    }
}
