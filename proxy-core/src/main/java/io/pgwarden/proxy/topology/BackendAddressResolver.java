package io.pgwarden.proxy.topology;

import io.netty.channel.EventLoop;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Finds the socket address of a backend without blocking an event loop. Netty resolves a host
 * name given to {@code Bootstrap.connect} with {@link InetAddress#getByName} on the calling
 * thread, so one slow DNS answer would stall every session of that event loop. An IP literal
 * (the usual configuration) is converted in place; a host name is looked up on a small pool of
 * its own, through the system resolver and the JVM's address cache, as before.
 */
public final class BackendAddressResolver implements AutoCloseable {

    private static final int THREADS = 2;

    private final ThreadPoolExecutor lookups;

    public BackendAddressResolver() {
        lookups = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory("pgwarden-resolver", true));
        lookups.allowCoreThreadTimeOut(true);
    }

    /**
     * The address of {@code node}. The future completes on {@code eventLoop}; it fails with
     * {@link UnknownHostException} when the host name does not resolve.
     */
    public Future<InetSocketAddress> resolve(BackendNode node, EventLoop eventLoop) {
        InetAddress literal = NetUtil.createInetAddressFromIpAddressString(node.host());
        if (literal != null) {
            return eventLoop.newSucceededFuture(new InetSocketAddress(literal, node.port()));
        }
        Promise<InetSocketAddress> resolved = eventLoop.newPromise();
        try {
            lookups.execute(() -> {
                try {
                    resolved.trySuccess(new InetSocketAddress(InetAddress.getByName(node.host()), node.port()));
                } catch (UnknownHostException | RuntimeException e) {
                    resolved.tryFailure(e);
                }
            });
        } catch (RejectedExecutionException closed) {
            resolved.tryFailure(closed);
        }
        return resolved;
    }

    /**
     * Refuses new lookups; those under way finish on their daemon threads, so closing never
     * waits for a slow DNS server.
     */
    @Override
    public void close() {
        lookups.shutdown();
    }
}
