/**
 * In-place scanning of the PostgreSQL v3 message stream for the forwarding hot path.
 *
 * <p>After authentication the proxy forwards every read buffer whole to the other side.
 * Before writing it, it hands the buffer to a {@link io.pgwarden.protocol.scan.BackendMessageScanner}
 * (server to client) or a {@link io.pgwarden.protocol.scan.FrontendMessageScanner}
 * (client to server), which finds the message boundaries and reports only what the proxy
 * tracks: transaction status, errors, copy mode, session termination, the start of new
 * requests. Scanners read the buffer with absolute getters, never move its indices, never
 * copy and never allocate; a message may be split across reads at any byte.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html">Message Formats</a>
 */
package io.pgwarden.protocol.scan;
