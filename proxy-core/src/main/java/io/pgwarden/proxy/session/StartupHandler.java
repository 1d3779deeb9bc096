package io.pgwarden.proxy.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.pgwarden.protocol.ProtocolException;
import io.pgwarden.protocol.message.frontend.CancelRequest;
import io.pgwarden.protocol.message.frontend.GSSENCRequest;
import io.pgwarden.protocol.message.frontend.SSLRequest;
import io.pgwarden.protocol.message.frontend.StartupMessage;

/**
 * Client side of the startup phase: passes each decoded startup packet to the session. Once
 * the StartupMessage has arrived the decoder is removed, and any bytes the client sent behind
 * it reach this handler raw; they are kept until the backend is connected.
 */
final class StartupHandler extends ChannelInboundHandlerAdapter {

    private final ClientSession session;

    StartupHandler(ClientSession session) {
        this.session = session;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        session.accepted();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf early) {
            session.earlyClientBytes(early);
        } else if (msg == SSLRequest.INSTANCE) {
            session.sslRequested();
        } else if (msg == GSSENCRequest.INSTANCE) {
            session.gssEncRequested();
        } else if (msg instanceof CancelRequest cancel) {
            session.cancelRequested(cancel);
        } else if (msg instanceof StartupMessage startup) {
            // From here on the client's bytes are relayed raw; the remove fires what the decoder
            // still holds back into this handler as a ByteBuf.
            ctx.pipeline().remove(ClientChannelInitializer.STARTUP_DECODER);
            session.startupReceived(startup);
        } else {
            ReferenceCountUtil.release(msg);
            session.clientFailed(new ProtocolException("unexpected " + msg.getClass().getSimpleName()
                    + " in the startup phase"));
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
