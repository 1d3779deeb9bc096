package io.pgwarden.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.pgwarden.protocol.ProtocolException;
import io.pgwarden.protocol.scan.FrontendMessageListener;
import io.pgwarden.protocol.scan.FrontendMessageScanner;
import java.util.concurrent.atomic.LongAdder;

/**
 * Client to backend, the hot path: each buffer read from the client is scanned in place and
 * written whole to the backend; one flush per read batch. Reading from the client pauses
 * while the backend channel is not writable and resumes when it is again.
 *
 * <p>While traffic is paused ({@link SessionGate}), a buffer that would start a new transaction
 * is kept unscanned and unsent, and the client is not read, until the session releases it.
 *
 * <p>It counts the requests it forwards that the server answers with exactly one
 * ReadyForQuery each: Query, FunctionCall and Sync. With the ReadyForQuery count of the other
 * direction this tells whether anything is in flight.
 */
final class FrontendRelayHandler extends ChannelInboundHandlerAdapter implements FrontendMessageListener {

    private final ClientSession session;
    private final Channel client;
    private final Channel backend;
    private final FrontendMessageScanner scanner;
    private final LongAdder bytesFromClients;
    private boolean flushPending;
    private boolean readPaused;
    /** What the client sent while the session is held, not yet scanned nor forwarded. */
    private ByteBuf held;
    private long requestsSent;
    /** {@link FrontendMessageScanner#messageCount()} after the last request counted. */
    private long messagesAtLastRequest;

    FrontendRelayHandler(ClientSession session, Channel client, Channel backend, int maxMessageSize,
            LongAdder bytesFromClients) {
        this.session = session;
        this.client = client;
        this.backend = backend;
        this.scanner = new FrontendMessageScanner(maxMessageSize, this);
        this.bytesFromClients = bytesFromClients;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buffer)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (held != null) {
            // More of one read batch (several TLS records, say) behind a held buffer.
            held = Unpooled.wrappedBuffer(held, buffer);
            return;
        }
        if (session.holdsBeforeTransaction(buffer)) {
            held = buffer;
            session.transactionHeld();
            return;
        }
        relay(buffer);
    }

    /** Forwards client bytes; also used for bytes that arrived before this handler existed. */
    void relay(ByteBuf buffer) {
        try {
            scanner.scan(buffer);
        } catch (ProtocolException e) {
            buffer.release();
            session.clientFailed(e);
            return;
        }
        bytesFromClients.add(buffer.readableBytes());
        backend.write(buffer, backend.voidPromise());
        flushPending = true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush();
        if (held == null) {
            readAgain();
        }
    }

    private void flush() {
        if (flushPending) {
            flushPending = false;
            backend.flush();
            session.clientForwarded();
        }
    }

    private void readAgain() {
        if (backend.isWritable()) {
            client.read();
        } else {
            readPaused = true;
        }
    }

    /** The backend drained its outbound buffer: read from the client again if paused. */
    void backendWritable() {
        if (readPaused && held == null) {
            readPaused = false;
            client.read();
        }
    }

    /**
     * Forwards the held buffer, unless the session must still hold it, and reads from the
     * client again.
     */
    void releaseHeld() {
        if (held == null) {
            return;
        }
        ByteBuf buffer = held;
        held = null;
        if (session.holdsBeforeTransaction(buffer)) {
            held = buffer;
            return;
        }
        relay(buffer);
        flush();
        readAgain();
    }

    /** Whether a buffer is held back from the backend. */
    boolean holding() {
        return held != null;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (held != null) {
            held.release();
            held = null;
        }
    }

    // ---- what the scanner reports

    @Override
    public void query(int messageIndex) {
        requestSent();
    }

    @Override
    public void functionCall(int messageIndex) {
        requestSent();
    }

    @Override
    public void sync() {
        requestSent();
    }

    private void requestSent() {
        requestsSent++;
        messagesAtLastRequest = scanner.messageCount();
    }

    @Override
    public void terminate() {
        session.clientTerminating();
    }

    /**
     * The authentication exchange is over: the messages relayed so far (password, SASL) are not
     * requests, so the count of messages since the last request starts from here, unless the
     * client has already sent a request behind them.
     */
    void authenticationEnded() {
        if (requestsSent == 0) {
            messagesAtLastRequest = scanner.messageCount();
        }
    }

    /** Query, FunctionCall and Sync messages forwarded: each gets one ReadyForQuery. */
    long requestsSent() {
        return requestsSent;
    }

    /** Whether every message forwarded so far is part of a request already counted. */
    boolean nothingSinceLastRequest() {
        return scanner.messageCount() == messagesAtLastRequest;
    }

    /** Whether the client's stream, as forwarded so far, ends at a message boundary. */
    boolean atMessageBoundary() {
        return scanner.atMessageBoundary();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            session.clientWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            session.clientIdle();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.clientClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        session.clientFailed(cause);
    }
}
