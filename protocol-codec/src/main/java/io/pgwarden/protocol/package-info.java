/**
 * The PostgreSQL v3 wire protocol for Netty pipelines: {@link
 * io.pgwarden.protocol.FrontendMessageDecoder} and {@link
 * io.pgwarden.protocol.BackendMessageDecoder} frame and decode what clients and servers send
 * into typed messages (packages {@code message.frontend} and {@code message.backend}); {@link
 * io.pgwarden.protocol.FrontendMessageEncoder} and {@link io.pgwarden.protocol.BackendMessageEncoder}
 * write them. Both peers are untrusted: malformed input raises a {@link
 * io.pgwarden.protocol.ProtocolException} that carries the SQLSTATE and a message fit for the
 * client.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol.html">Frontend/Backend Protocol</a>
 */
package io.pgwarden.protocol;
