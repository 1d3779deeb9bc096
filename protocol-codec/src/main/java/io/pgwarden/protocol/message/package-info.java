/**
 * What frontend and backend messages share: the {@link io.pgwarden.protocol.message.Message}
 * contract, the wire data types (NUL-terminated {@link io.pgwarden.protocol.message.CString}s,
 * immutable {@link io.pgwarden.protocol.message.Bytes}), bounds-checked reading of message
 * bodies, and the messages that flow in both directions ({@code CopyData}, {@code CopyDone}).
 *
 * <p>Every message type decodes from its body (the bytes after the type byte and length word,
 * or after the length word for startup packets) and encodes to the complete message. Decoding
 * consumes the body exactly, so anything that decodes re-encodes to the same bytes.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html">Message Formats</a>
 */
package io.pgwarden.protocol.message;
