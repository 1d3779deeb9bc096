package io.pgwarden.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.pgwarden.protocol.ProtocolException;
import io.pgwarden.protocol.scan.BackendMessageListener;
import io.pgwarden.protocol.scan.BackendMessageScanner;
import io.pgwarden.protocol.scan.ErrorSeverity;

/**
 * Backend to client, the hot path: each buffer read from the backend is scanned in place
 * (transaction status, errors that end the session) and written whole to the client; one
 * flush per read batch. Reading from the backend pauses while the client channel is not
 * writable, which bounds what a slow client makes the proxy buffer.
 */
final class BackendRelayHandler extends ChannelInboundHandlerAdapter implements BackendMessageListener {

    private final ClientSession session;
    private final Channel client;
    private final Channel backend;
    private final BackendMessageScanner scanner;
    private boolean flushPending;
    private boolean readPaused;
    private byte transactionStatus;
    /** Client messages forwarded when the last ReadyForQuery was scanned. */
    private long clientMessagesAtReadyForQuery;

    BackendRelayHandler(ClientSession session, Channel client, Channel backend, int maxMessageSize,
            byte initialTransactionStatus, long clientMessagesAtStartup) {
        this.session = session;
        this.client = client;
        this.backend = backend;
        this.scanner = new BackendMessageScanner(maxMessageSize, this);
        this.transactionStatus = initialTransactionStatus;
        this.clientMessagesAtReadyForQuery = clientMessagesAtStartup;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buffer)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            scanner.scan(buffer);
        } catch (ProtocolException e) {
            buffer.release();
            session.backendFailed(e);
            return;
        }
        client.write(buffer, client.voidPromise());
        flushPending = true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (flushPending) {
            flushPending = false;
            client.flush();
        }
        if (client.isWritable()) {
            ctx.read();
        } else {
            readPaused = true;
        }
    }

    /** The client drained its outbound buffer: read from the backend again if paused. */
    void clientWritable() {
        if (readPaused) {
            readPaused = false;
            backend.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            session.backendWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void readyForQuery(byte status) {
        transactionStatus = status;
        clientMessagesAtReadyForQuery = session.clientMessageCount();
    }

    @Override
    public void errorResponse(ErrorSeverity severity, int sqlState) {
        if (severity == ErrorSeverity.FATAL || severity == ErrorSeverity.PANIC) {
            // The server ends the session itself; its own error is all the client needs.
            session.backendEnding();
        }
    }

    /** Whether the server's stream, as forwarded so far, ends at a message boundary. */
    boolean atMessageBoundary() {
        return scanner.atMessageBoundary();
    }

    /**
     * Whether the session sits between transactions: the last ReadyForQuery said idle, nothing
     * was sent since, and neither stream is inside a message.
     */
    boolean idleBetweenTransactions(long clientMessages, boolean clientAtBoundary) {
        return transactionStatus == 'I' && clientMessages == clientMessagesAtReadyForQuery
                && clientAtBoundary && scanner.atMessageBoundary();
    }

    /** The status of the last ReadyForQuery: {@code 'I'}, {@code 'T'} or {@code 'E'}. */
    byte transactionStatus() {
        return transactionStatus;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.backendClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        session.backendFailed(cause);
    }
}
