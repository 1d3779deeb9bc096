package io.pgwarden.proxy.cancel;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.pgwarden.protocol.message.frontend.CancelRequest;
import io.pgwarden.proxy.topology.BackendAddressResolver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a CancelRequest with a server's real key to that server, on a new short connection,
 * as a client would.
 */
public final class CancelForwarder {

    private static final Logger log = LoggerFactory.getLogger(CancelForwarder.class);

    private final Class<? extends Channel> channelClass;
    private final Supplier<Duration> timeout;
    private final BackendAddressResolver resolver;

    /**
     * @param channelClass socket implementation, matching the event loops passed to {@link #forward}
     * @param timeout bound on connecting and on waiting for the server to close, read at every
     *     cancel request (a reload may change it)
     * @param resolver finds the server's address off the event loop
     */
    public CancelForwarder(
            Class<? extends Channel> channelClass, Supplier<Duration> timeout, BackendAddressResolver resolver) {
        this.channelClass = Objects.requireNonNull(channelClass, "channelClass");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * Delivers the cancel request. The returned future completes once the server has closed
     * the connection, which it does after acting on the request (this is how libpq knows the
     * cancel was processed), or after the timeout; it never fails: a cancel is best effort.
     */
    public Future<Void> forward(CancelTarget target, EventLoop eventLoop) {
        Promise<Void> done = eventLoop.newPromise();
        resolver.resolve(target.node(), eventLoop).addListener(resolved -> {
            if (resolved.isSuccess()) {
                connect(target, (InetSocketAddress) resolved.getNow(), eventLoop, done);
            } else {
                log.warn("could not forward a cancel request to node {}: {}", target.node(), resolved.cause().toString());
                done.trySuccess(null);
            }
        });
        return done;
    }

    private void connect(CancelTarget target, InetSocketAddress address, EventLoop eventLoop, Promise<Void> done) {
        Duration timeout = this.timeout.get();
        Bootstrap bootstrap = new Bootstrap()
                .group(eventLoop)
                .channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .handler(new DiscardHandler());
        ChannelFuture connect = bootstrap.connect(address);
        Channel channel = connect.channel();
        channel.closeFuture().addListener(closed -> done.trySuccess(null));
        eventLoop.schedule(() -> channel.close(), timeout.toMillis(), TimeUnit.MILLISECONDS);
        connect.addListener((ChannelFutureListener) connected -> {
            if (!connected.isSuccess()) {
                log.warn("could not forward a cancel request to node {}: {}", target.node(), connected.cause().toString());
                return;
            }
            CancelRequest request = new CancelRequest(target.processId(), target.secretKey());
            channel.writeAndFlush(request.encode(channel.alloc()));
        });
    }

    /** A server sends nothing on a cancel connection; anything it does send is dropped. */
    private static final class DiscardHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
