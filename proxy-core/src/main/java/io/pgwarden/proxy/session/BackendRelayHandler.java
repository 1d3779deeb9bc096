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
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAdder;

/**
 * Backend to client, the hot path: each buffer read from the backend is scanned in place
 * (transaction status, errors that end the session) and written whole to the client; one
 * flush per read batch. Reading from the backend pauses while the client channel is not
 * writable, which bounds what a slow client makes the proxy buffer.
 */
final class BackendRelayHandler extends ChannelInboundHandlerAdapter implements BackendMessageListener {

    private static final byte[] APPLICATION_NAME = "application_name\0".getBytes(StandardCharsets.US_ASCII);

    private final ClientSession session;
    private final Channel client;
    private final Channel backend;
    private final BackendMessageScanner scanner;
    private final LongAdder bytesToClients;
    private boolean flushPending;
    private boolean readPaused;
    private byte transactionStatus;
    private long readyForQueryCount;
    /** The buffer being scanned, for the few callbacks that read a message body. */
    private ByteBuf scanning;

    BackendRelayHandler(ClientSession session, Channel client, Channel backend, int maxMessageSize,
            byte initialTransactionStatus, LongAdder bytesToClients) {
        this.session = session;
        this.client = client;
        this.backend = backend;
        this.scanner = new BackendMessageScanner(maxMessageSize, this);
        this.transactionStatus = initialTransactionStatus;
        this.bytesToClients = bytesToClients;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buffer)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        scanning = buffer;
        try {
            scanner.scan(buffer);
        } catch (ProtocolException e) {
            buffer.release();
            session.backendFailed(e);
            return;
        } finally {
            scanning = null;
        }
        bytesToClients.add(buffer.readableBytes());
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
        readyForQueryCount++;
        session.readyForQuery(status);
    }

    @Override
    public void errorResponse(ErrorSeverity severity, int sqlState) {
        if (severity == ErrorSeverity.FATAL || severity == ErrorSeverity.PANIC) {
            // The server ends the session itself; its own error is all the client needs.
            session.backendEnding();
        }
    }

    /**
     * Follows {@code SET application_name}: the server reports the new value. Only that
     * parameter is decoded, and only when its message lies whole in the buffer, which a
     * ParameterStatus of a few dozen bytes nearly always does.
     */
    @Override
    public void parameterStatus(int messageIndex) {
        if (messageIndex < 0) {
            return;
        }
        ByteBuf buffer = scanning;
        int name = messageIndex + 5;
        int end = messageIndex + 1 + buffer.getInt(messageIndex + 1);
        if (end - name < APPLICATION_NAME.length + 1) {
            return;
        }
        for (int i = 0; i < APPLICATION_NAME.length; i++) {
            if (buffer.getByte(name + i) != APPLICATION_NAME[i]) {
                return;
            }
        }
        int value = name + APPLICATION_NAME.length;
        int nul = buffer.indexOf(value, end, (byte) 0);
        if (nul >= 0) {
            session.applicationNameReported(buffer.toString(value, nul - value, StandardCharsets.UTF_8));
        }
    }

    /** Whether the server's stream, as forwarded so far, ends at a message boundary. */
    boolean atMessageBoundary() {
        return scanner.atMessageBoundary();
    }

    /** The status of the last ReadyForQuery: {@code 'I'}, {@code 'T'} or {@code 'E'}. */
    byte transactionStatus() {
        return transactionStatus;
    }

    /** ReadyForQuery messages forwarded since authentication (its own one excluded). */
    long readyForQueryCount() {
        return readyForQueryCount;
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
