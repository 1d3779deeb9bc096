package io.pgwarden.bench.forward;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import io.netty.channel.embedded.EmbeddedChannel;
import io.pgwarden.proxy.session.EmbeddedForwardingSession;
import io.pgwarden.proxy.session.FlowControl;

/**
 * One client connection through a relay, without a network: the client's socket and the
 * server's socket are {@link EmbeddedChannel}s, configured as the proxy configures its sockets
 * ({@code AUTO_READ} off, pgwarden's write-buffer water marks).
 *
 * <p>A read is what a transport does when a socket becomes readable with {@code AUTO_READ}
 * off: one {@code channelRead} with one buffer, then {@code channelReadComplete}. What the relay
 * flushed to the other socket is then taken off that channel and released, as the kernel takes
 * what is written to a socket.
 */
final class RelayedConnection implements AutoCloseable {

    private final EmbeddedChannel client;
    private final EmbeddedChannel backend;
    /** The pgwarden session between the two channels; null for {@link Relay#PASS_THROUGH}. */
    private final EmbeddedForwardingSession session;

    private RelayedConnection(EmbeddedChannel client, EmbeddedChannel backend, EmbeddedForwardingSession session) {
        this.client = client;
        this.backend = backend;
        this.session = session;
    }

    static RelayedConnection open(Relay relay) {
        return switch (relay) {
            case PGWARDEN -> {
                EmbeddedForwardingSession session = EmbeddedForwardingSession.open();
                yield new RelayedConnection(session.client(), session.backend(), session);
            }
            case PASS_THROUGH -> {
                EmbeddedChannel client = unregisteredSocket();
                EmbeddedChannel backend = unregisteredSocket();
                client.pipeline().addLast(new PassThroughHandler(backend));
                backend.pipeline().addLast(new PassThroughHandler(client));
                register(client);
                register(backend);
                yield new RelayedConnection(client, backend, null);
            }
        };
    }

    /**
     * The client's socket delivers {@code read}; the relay takes ownership of it.
     *
     * @return the bytes the relay sent to the server's socket
     */
    long clientSent(ByteBuf read) {
        return transfer(client, backend, read);
    }

    /**
     * The server's socket delivers {@code read}; the relay takes ownership of it.
     *
     * @return the bytes the relay sent to the client's socket
     */
    long serverSent(ByteBuf read) {
        return transfer(backend, client, read);
    }

    private static long transfer(EmbeddedChannel from, EmbeddedChannel to, ByteBuf read) {
        from.writeOneInbound(read, from.voidPromise());
        from.flushInbound();
        long delivered = 0;
        for (ByteBuf sent = to.readOutbound(); sent != null; sent = to.readOutbound()) {
            delivered += sent.readableBytes();
            sent.release();
        }
        return delivered;
    }

    /**
     * Fails if either socket was closed or an exception reached the end of a pipeline: a relay
     * that gave up must not be measured.
     */
    void requireOpen() {
        client.checkException();
        backend.checkException();
        if (!client.isActive() || !backend.isActive()) {
            throw new IllegalStateException("the relay closed a connection"
                    + (session == null ? "" : "; the session is " + session.state()));
        }
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
        } else {
            client.finishAndReleaseAll();
            backend.finishAndReleaseAll();
        }
    }

    private static EmbeddedChannel unregisteredSocket() {
        EmbeddedChannel channel = new EmbeddedChannel(false, false);
        channel.config().setOption(ChannelOption.AUTO_READ, false);
        channel.config().setOption(ChannelOption.WRITE_BUFFER_WATER_MARK, FlowControl.WATER_MARK);
        return channel;
    }

    private static void register(EmbeddedChannel channel) {
        try {
            channel.register();
        } catch (Exception e) {
            throw new IllegalStateException("could not register an embedded channel", e);
        }
    }
}
