package io.pgwarden.proxy.listener;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.concurrent.ThreadFactory;

/**
 * The socket implementation: native epoll on Linux when its library loads (fewer system calls
 * and no selector garbage on the hot path), the JDK's NIO elsewhere. Server, client and
 * backend channels of one proxy always use the same transport, because a backend channel is
 * registered on its client channel's event loop.
 */
public enum Transport {
    EPOLL {
        @Override
        public EventLoopGroup newEventLoopGroup(int threads, ThreadFactory threadFactory) {
            return new EpollEventLoopGroup(threads, threadFactory);
        }

        @Override
        public Class<? extends ServerSocketChannel> serverChannelClass() {
            return EpollServerSocketChannel.class;
        }

        @Override
        public Class<? extends SocketChannel> channelClass() {
            return EpollSocketChannel.class;
        }
    },
    NIO {
        @Override
        public EventLoopGroup newEventLoopGroup(int threads, ThreadFactory threadFactory) {
            return new NioEventLoopGroup(threads, threadFactory);
        }

        @Override
        public Class<? extends ServerSocketChannel> serverChannelClass() {
            return NioServerSocketChannel.class;
        }

        @Override
        public Class<? extends SocketChannel> channelClass() {
            return NioSocketChannel.class;
        }
    };

    /** Epoll when available on this machine, else NIO. */
    public static Transport detect() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    public abstract EventLoopGroup newEventLoopGroup(int threads, ThreadFactory threadFactory);

    public abstract Class<? extends ServerSocketChannel> serverChannelClass();

    public abstract Class<? extends SocketChannel> channelClass();
}
