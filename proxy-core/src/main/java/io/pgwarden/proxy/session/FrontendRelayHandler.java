package io.pgwarden.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.pgwarden.protocol.ProtocolException;
import io.pgwarden.protocol.scan.FrontendMessageListener;
import io.pgwarden.protocol.scan.FrontendMessageScanner;

/**
 * Client to backend, the hot path: each buffer read from the client is scanned in place and
 * written whole to the backend; one flush per read batch. Reading from the client pauses
 * while the backend channel is not writable and resumes when it is again.
 */
final class FrontendRelayHandler extends ChannelInboundHandlerAdapter implements FrontendMessageListener {

    private final ClientSession session;
    private final Channel client;
    private final Channel backend;
    private final FrontendMessageScanner scanner;
    private boolean flushPending;
    private boolean readPaused;

    FrontendRelayHandler(ClientSession session, Channel client, Channel backend, int maxMessageSize) {
        this.session = session;
        this.client = client;
        this.backend = backend;
        this.scanner = new FrontendMessageScanner(maxMessageSize, this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buffer) {
            relay(buffer);
        } else {
            ReferenceCountUtil.release(msg);
        }
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
        backend.write(buffer, backend.voidPromise());
        flushPending = true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (flushPending) {
            flushPending = false;
            backend.flush();
        }
        if (backend.isWritable()) {
            ctx.read();
        } else {
            readPaused = true;
        }
    }

    /** The backend drained its outbound buffer: read from the client again if paused. */
    void backendWritable() {
        if (readPaused) {
            readPaused = false;
            client.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            session.clientWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** Messages the client has sent so far, startup and authentication messages excluded. */
    long messageCount() {
        return scanner.messageCount();
    }

    /** Whether the client's stream, as forwarded so far, ends at a message boundary. */
    boolean atMessageBoundary() {
        return scanner.atMessageBoundary();
    }

    @Override
    public void terminate() {
        session.clientTerminating();
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
