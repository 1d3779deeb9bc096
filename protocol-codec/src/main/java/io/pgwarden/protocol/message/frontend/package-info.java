/**
 * Messages a client (frontend) sends: the startup-phase packets ({@link
 * io.pgwarden.protocol.message.frontend.StartupMessage}, {@link
 * io.pgwarden.protocol.message.frontend.SSLRequest}, {@link
 * io.pgwarden.protocol.message.frontend.GSSENCRequest}, {@link
 * io.pgwarden.protocol.message.frontend.CancelRequest}) and the typed messages of the regular
 * phase. {@code CopyData} and {@code CopyDone} flow both ways and live in the parent package.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html">Message Formats</a>
 */
package io.pgwarden.protocol.message.frontend;
