package io.pgwarden.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.pgwarden.protocol.message.BackendMessage;

/**
 * Encodes BackendMessages for the wire, each into a buffer of exactly its size. It holds no
 * state, so one instance may serve several pipelines.
 */
@Sharable
public final class BackendMessageEncoder extends MessageToByteEncoder<BackendMessage> {

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, BackendMessage msg, boolean preferDirect) {
        int length = msg.encodedLength();
        return preferDirect ? ctx.alloc().ioBuffer(length) : ctx.alloc().heapBuffer(length);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, BackendMessage msg, ByteBuf out) {
        msg.encode(out);
    }
}
