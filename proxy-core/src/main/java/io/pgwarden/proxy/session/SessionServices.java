package io.pgwarden.proxy.session;

import io.netty.handler.ssl.SslContext;
import io.pgwarden.config.ClientTlsMode;
import io.pgwarden.config.LimitSettings;
import io.pgwarden.proxy.cancel.CancelForwarder;
import io.pgwarden.proxy.cancel.CancelKeyRegistry;
import io.pgwarden.proxy.listener.ConnectionLimiter;
import io.pgwarden.proxy.listener.Transport;
import io.pgwarden.proxy.routing.NodeLoad;
import io.pgwarden.proxy.topology.TopologySource;
import java.util.Objects;
import java.util.Optional;

/**
 * What every client session of one proxy shares: limits, the topology, the registries and the
 * TLS contexts. Built once by the proxy server; all parts are thread-safe.
 *
 * @param limits protective limits
 * @param topology where sessions are routed
 * @param sessions live sessions, told of topology changes
 * @param cancelKeys proxy-issued cancel keys
 * @param cancelForwarder delivers cancel requests to backends
 * @param connections the client connection limit
 * @param load sessions per node, for least-connections balancing
 * @param transport socket implementation of backend connections
 * @param clientTlsMode whether clients may or must use TLS
 * @param clientTls the server-side TLS context when {@code clientTlsMode} terminates TLS
 * @param backendTls how to secure the connections to backends
 */
public record SessionServices(
        LimitSettings limits,
        TopologySource topology,
        SessionRegistry sessions,
        CancelKeyRegistry cancelKeys,
        CancelForwarder cancelForwarder,
        ConnectionLimiter connections,
        NodeLoad load,
        Transport transport,
        ClientTlsMode clientTlsMode,
        Optional<SslContext> clientTls,
        BackendTls backendTls) {

    public SessionServices {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(cancelKeys, "cancelKeys");
        Objects.requireNonNull(cancelForwarder, "cancelForwarder");
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(load, "load");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(clientTlsMode, "clientTlsMode");
        Objects.requireNonNull(clientTls, "clientTls");
        Objects.requireNonNull(backendTls, "backendTls");
        if (clientTlsMode.terminatesTls() && clientTls.isEmpty()) {
            throw new IllegalArgumentException("client TLS mode " + clientTlsMode.configName() + " needs a TLS context");
        }
    }
}
