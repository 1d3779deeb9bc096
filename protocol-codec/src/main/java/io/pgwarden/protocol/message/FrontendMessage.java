package io.pgwarden.protocol.message;

/**
 * A message sent by a client (frontend) to the server: the startup-phase packets, which carry
 * no type byte, and the typed messages of the regular phase.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html">Message Formats</a>
 */
public interface FrontendMessage extends Message {
}
