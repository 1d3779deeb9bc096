package io.pgwarden.proxy.session;

import io.netty.handler.ssl.SslContext;
import io.pgwarden.config.ClientTlsMode;
import io.pgwarden.proxy.cancel.CancelForwarder;
import io.pgwarden.proxy.cancel.CancelKeyRegistry;
import io.pgwarden.proxy.listener.ConnectionLimiter;
import io.pgwarden.proxy.listener.Transport;
import io.pgwarden.proxy.routing.NodeLoad;
import io.pgwarden.proxy.topology.BackendAddressResolver;
import io.pgwarden.proxy.topology.TopologySource;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * What every client session of one proxy shares: limits, the topology, the registries and the
 * TLS contexts. Built once by the proxy server; all parts are thread-safe.
 *
 * @param limits protective limits, as in force for sessions accepted now
 * @param topology where sessions are routed
 * @param sessions live sessions, told of topology changes
 * @param gate holds new transactions during a planned switchover
 * @param statistics what sessions count
 * @param cancelKeys proxy-issued cancel keys
 * @param cancelForwarder delivers cancel requests to backends
 * @param connections the client connection limit
 * @param load sessions per node, for least-connections balancing
 * @param transport socket implementation of backend connections
 * @param clientTlsMode whether clients may or must use TLS
 * @param clientTls the server-side TLS context when {@code clientTlsMode} terminates TLS
 * @param backendTls how to secure the connections to backends
 * @param resolver finds backend addresses off the event loops
 * @param clock for the times sessions show
 */
public record SessionServices(
        CurrentLimits limits,
        TopologySource topology,
        SessionRegistry sessions,
        SessionGate gate,
        ProxyStatistics statistics,
        CancelKeyRegistry cancelKeys,
        CancelForwarder cancelForwarder,
        ConnectionLimiter connections,
        NodeLoad load,
        Transport transport,
        ClientTlsMode clientTlsMode,
        Optional<SslContext> clientTls,
        BackendTls backendTls,
        BackendAddressResolver resolver,
        Clock clock) {

    public SessionServices {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(statistics, "statistics");
        Objects.requireNonNull(cancelKeys, "cancelKeys");
        Objects.requireNonNull(cancelForwarder, "cancelForwarder");
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(load, "load");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(clientTlsMode, "clientTlsMode");
        Objects.requireNonNull(clientTls, "clientTls");
        Objects.requireNonNull(backendTls, "backendTls");
        Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(clock, "clock");
        if (clientTlsMode.terminatesTls() && clientTls.isEmpty()) {
            throw new IllegalArgumentException("client TLS mode " + clientTlsMode.configName() + " needs a TLS context");
        }
    }
}
