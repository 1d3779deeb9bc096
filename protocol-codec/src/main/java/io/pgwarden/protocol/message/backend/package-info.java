/**
 * Messages a server (backend) sends. A backend is untrusted like a client: every decoder
 * checks bounds and rejects malformed input with a {@link io.pgwarden.protocol.ProtocolException}.
 * {@code CopyData} and {@code CopyDone} flow both ways and live in the parent package.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html">Message Formats</a>
 */
package io.pgwarden.protocol.message.backend;
