package io.pgwarden.proxy.session;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.pgwarden.config.BackendTlsMode;
import io.pgwarden.config.BackendTlsSettings;
import io.pgwarden.proxy.topology.BackendNode;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * TLS from the proxy to backends, with libpq's {@code sslmode} meanings: {@code prefer} tries
 * and falls back to plain text, {@code require} insists but checks the certificate only against
 * a configured CA, {@code verify-full} checks chain and host name.
 */
public final class BackendTls {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final BackendTlsMode mode;
    private final Optional<SslContext> context;

    private BackendTls(BackendTlsMode mode, Optional<SslContext> context) {
        this.mode = mode;
        this.context = context;
    }

    /** Plain-text connections to backends. */
    public static BackendTls disabled() {
        return new BackendTls(BackendTlsMode.DISABLE, Optional.empty());
    }

    /**
     * @throws SSLException if the CA file cannot be used
     */
    public static BackendTls from(BackendTlsSettings settings) throws SSLException {
        Objects.requireNonNull(settings, "settings");
        if (settings.mode() == BackendTlsMode.DISABLE) {
            return disabled();
        }
        SslContextBuilder builder = SslContextBuilder.forClient().protocols(PROTOCOLS);
        if (settings.caFile().isPresent()) {
            builder.trustManager(settings.caFile().get().toFile());
        } else if (settings.mode() != BackendTlsMode.VERIFY_FULL) {
            // libpq's require and prefer encrypt without authenticating the server unless a root
            // certificate is configured; verify-full falls back to the JVM's trust store.
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
        }
        return new BackendTls(settings.mode(), Optional.of(builder.build()));
    }

    /** Whether an SSLRequest is sent to backends. */
    public boolean requested() {
        return mode != BackendTlsMode.DISABLE;
    }

    /** Whether a backend that answers {@code N} is refused. */
    public boolean required() {
        return mode == BackendTlsMode.REQUIRE || mode == BackendTlsMode.VERIFY_FULL;
    }

    public BackendTlsMode mode() {
        return mode;
    }

    /** A client-side TLS handler for a connection to {@code node}. */
    SslHandler newHandler(ByteBufAllocator allocator, BackendNode node) {
        SslContext sslContext = context.orElseThrow(() -> new IllegalStateException("backend TLS is disabled"));
        SslHandler handler = sslContext.newHandler(allocator, node.host(), node.port());
        if (mode == BackendTlsMode.VERIFY_FULL) {
            SSLEngine engine = handler.engine();
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
        }
        return handler;
    }
}
