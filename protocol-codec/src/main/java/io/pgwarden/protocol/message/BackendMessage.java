package io.pgwarden.protocol.message;

/**
 * A message sent by the server (backend) to a client, including the single-byte answers to
 * SSLRequest and GSSENCRequest.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html">Message Formats</a>
 */
public interface BackendMessage extends Message {
}
