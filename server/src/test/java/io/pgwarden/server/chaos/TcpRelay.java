package io.pgwarden.server.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The network path between pgwarden and one PostgreSQL node: a loopback TCP relay that pgwarden's
 * probes and sessions go through, and that a test can cut and heal.
 *
 * <p>A cut is a partition, not a refusal: bytes already in flight and everything sent while the
 * path is cut are swallowed, and new connections are accepted but never reach the node, so both
 * ends wait for answers that do not come, as they would behind a dead switch. Healing closes
 * every connection that lived through the cut (its byte stream has a hole in it) and lets new
 * connections through again.
 */
final class TcpRelay implements AutoCloseable {

    private static final int BUFFER_SIZE = 16 * 1024;

    private final String name;
    private final int targetPort;
    private final ServerSocket server;
    private final ExecutorService threads;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private volatile boolean severed;
    private volatile boolean closed;

    /** Listens on an ephemeral loopback port and relays to {@code 127.0.0.1:targetPort}. */
    TcpRelay(String name, int targetPort) {
        this.name = name;
        this.targetPort = targetPort;
        try {
            server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the relay for " + name, e);
        }
        AtomicInteger threadNumber = new AtomicInteger();
        threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "relay-" + name + "-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        threads.execute(this::acceptLoop);
    }

    /** The port pgwarden is configured with for this node. */
    int port() {
        return server.getLocalPort();
    }

    String name() {
        return name;
    }

    /** Cuts the path: from now on nothing passes in either direction until {@link #restore()}. */
    void sever() {
        severed = true;
        for (Link link : links) {
            link.cut = true;
        }
    }

    /** Heals the path: connections that lived through the cut are closed, new ones pass again. */
    void restore() {
        severed = false;
        for (Link link : List.copyOf(links)) {
            if (link.cut) {
                link.close();
            }
        }
    }

    boolean severed() {
        return severed;
    }

    /** Connections currently open through the relay. */
    int openLinks() {
        return links.size();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    // Reported by the thread's uncaught-exception handler: the relay is dead then.
                    throw new UncheckedIOException("relay " + name + " stopped accepting", e);
                }
                return;
            }
            Link link = new Link(client);
            links.add(link);
            if (severed) {
                link.cut = true;
                threads.execute(() -> link.swallow(client));
            } else {
                threads.execute(link::connect);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // Nothing is left to release.
        }
        for (Link link : List.copyOf(links)) {
            link.close();
        }
        threads.shutdownNow();
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "relay " + name + " :" + port() + " -> :" + targetPort + (severed ? " (severed)" : "");
    }

    /** One relayed connection: the client's socket and, once connected, the node's. */
    private final class Link {
        private final Socket client;
        private volatile Socket node;
        /** Set by a cut: bytes are swallowed from then on, and the link is closed when the path heals. */
        private volatile boolean cut;

        Link(Socket client) {
            this.client = client;
        }

        void connect() {
            Socket target = new Socket();
            try {
                target.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
                target.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
            } catch (IOException e) {
                // The node is down: the client sees the connection refused as a close.
                closeQuietly(target);
                close();
                return;
            }
            node = target;
            if (cut) {
                // Cut while connecting: behave as if the connect never completed.
                swallow(client);
                return;
            }
            threads.execute(() -> pump(target, client));
            pump(client, target);
        }

        /** Copies {@code from} to {@code to} until either end closes; swallows everything once cut. */
        private void pump(Socket from, Socket to) {
            byte[] buffer = new byte[BUFFER_SIZE];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (!cut) {
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                }
            } catch (SocketException e) {
                // One end closed or reset: the link ends.
            } catch (IOException e) {
                // As above, for other I/O failures.
            } finally {
                if (!cut) {
                    close();
                }
            }
        }

        /** Reads and drops what the client sends until the link is closed. */
        void swallow(Socket from) {
            byte[] buffer = new byte[BUFFER_SIZE];
            try {
                InputStream in = from.getInputStream();
                while (in.read(buffer) >= 0) {
                    // dropped: the path is cut
                }
            } catch (IOException e) {
                // closed by restore() or by the client
            }
        }

        void close() {
            links.remove(this);
            closeQuietly(client);
            Socket target = node;
            if (target != null) {
                closeQuietly(target);
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
