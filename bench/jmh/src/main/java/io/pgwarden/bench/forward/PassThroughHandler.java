package io.pgwarden.bench.forward;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The baseline relay: what Netty's HexDumpProxy does, and what pgwarden's relay handlers do
 * besides scanning and reporting to their session.
 */
final class PassThroughHandler extends ChannelInboundHandlerAdapter {

    private final Channel peer;
    private boolean flushPending;

    PassThroughHandler(Channel peer) {
        this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        peer.write(msg, peer.voidPromise());
        flushPending = true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (flushPending) {
            flushPending = false;
            peer.flush();
        }
        if (peer.isWritable()) {
            ctx.read();
        }
    }
}
