package io.pgwarden.protocol.scan;

/**
 * What a {@link FrontendMessageScanner} reports from the client-to-server stream, each when
 * the message's header has been scanned. Every method has an empty default. Parameters are
 * primitives: reporting allocates nothing.
 *
 * <p>A new transaction can only begin with Query, Parse, Bind or FunctionCall: Execute,
 * Describe and Close name a portal or statement, and portals exist only inside a
 * transaction, while a statement reused without Parse is always followed by Bind. Those
 * four callbacks therefore mark the points where a proxy may hold a session that is idle.
 *
 * <p>{@code messageIndex} is the index of the message's type byte in the buffer being
 * scanned, or -1 when the header began in an earlier buffer (the message then started
 * before this buffer).
 */
public interface FrontendMessageListener {

    /** Query ({@code Q}): a simple-protocol query string. */
    default void query(int messageIndex) {
    }

    /** Parse ({@code P}): the start of an extended-protocol request. */
    default void parse(int messageIndex) {
    }

    /** Bind ({@code B}): may start an extended-protocol request on a prepared statement. */
    default void bind(int messageIndex) {
    }

    /** FunctionCall ({@code F}). */
    default void functionCall(int messageIndex) {
    }

    /** Sync ({@code S}): the end of an extended-protocol request. */
    default void sync() {
    }

    /** Terminate ({@code X}): the client is closing the session. */
    default void terminate() {
    }

    /** CopyDone ({@code c}) from the client: a COPY FROM STDIN ends successfully. */
    default void copyDone() {
    }

    /** CopyFail ({@code f}): the client aborts a COPY FROM STDIN. */
    default void copyFail() {
    }
}
