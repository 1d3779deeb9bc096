package io.pgwarden.protocol.scan;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Scans the client-to-server message stream in place (see {@link MessageScanner} for the
 * contract) and reports Query, Parse, Bind, FunctionCall, Sync, Terminate, CopyDone and
 * CopyFail to a {@link FrontendMessageListener}, each as soon as its header has been
 * scanned. No message body is read: every body is skipped.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html">Message Formats</a>
 */
public final class FrontendMessageScanner extends MessageScanner {

    private final FrontendMessageListener listener;

    /**
     * @param maxMessageLength the largest length field accepted (it counts itself, not the
     *        type byte); larger ones fail the stream
     * @param listener receives the reports; must not throw
     */
    public FrontendMessageScanner(int maxMessageLength, FrontendMessageListener listener) {
        super(maxMessageLength);
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    boolean messageStarted(byte type, int length, int messageIndex, int bufferEnd) {
        switch (type) {
            case 'Q' -> listener.query(messageIndex);
            case 'P' -> listener.parse(messageIndex);
            case 'B' -> listener.bind(messageIndex);
            case 'F' -> listener.functionCall(messageIndex);
            case 'S' -> listener.sync();
            case 'X' -> listener.terminate();
            case 'c' -> listener.copyDone();
            case 'f' -> listener.copyFail();
            default -> {
                // Not tracked: the body is skipped.
            }
        }
        return false;
    }

    @Override
    int scanTrackedBody(ByteBuf buffer, int index, int limit) {
        throw new IllegalStateException("no frontend message body is tracked");
    }

    @Override
    void messageEnded() {
        throw new IllegalStateException("no frontend message body is tracked");
    }
}
