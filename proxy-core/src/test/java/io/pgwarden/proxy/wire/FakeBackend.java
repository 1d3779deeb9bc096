package io.pgwarden.proxy.wire;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for a PostgreSQL server that plays a script of bytes, for tests of what the proxy
 * itself does with what a server sends (key replacement, mechanism filtering, a server that
 * vanishes). Each accepted connection runs the script on its own thread.
 */
public final class FakeBackend implements AutoCloseable {

    /** What the fake server does on one connection. */
    @FunctionalInterface
    public interface Script {
        void play(Peer peer) throws Exception;
    }

    /** One accepted connection, seen from the fake server. */
    public static final class Peer {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;

        Peer(Socket socket) throws IOException {
            this.socket = socket;
            this.socket.setSoTimeout(20_000);
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** Reads a startup-phase packet (no type byte) and returns it whole, length included. */
        public byte[] readStartupPacket() throws IOException {
            int length = in.readInt();
            byte[] packet = new byte[length];
            ByteBuffer.wrap(packet).putInt(length);
            in.readFully(packet, 4, length - 4);
            return packet;
        }

        public RawClient.Received readMessage() throws IOException {
            char type = (char) in.readUnsignedByte();
            int length = in.readInt();
            byte[] body = new byte[length - 4];
            in.readFully(body);
            return new RawClient.Received(type, body);
        }

        /** Whether the proxy closed the connection, reading and dropping anything before that. */
        public boolean awaitEndOfStream() throws IOException {
            try {
                while (in.read() != -1) {
                    // drop
                }
                return true;
            } catch (IOException reset) {
                return true;
            }
        }

        public void send(byte[]... parts) throws IOException {
            for (byte[] part : parts) {
                out.write(part);
            }
            out.flush();
        }

        public void close() throws IOException {
            socket.close();
        }
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    public FakeBackend(Script script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    threads.execute(() -> {
                        try (socket) {
                            script.play(new Peer(socket));
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    public int port() {
        return server.getLocalPort();
    }

    /** What went wrong in scripts so far (an unexpected message, a timeout). */
    public List<Throwable> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- server messages

    public static byte[] authenticationOk() {
        return message('R', RawClient.int32(0));
    }

    public static byte[] authenticationSasl(String... mechanisms) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(RawClient.int32(10));
        for (String mechanism : mechanisms) {
            body.writeBytes(mechanism.getBytes(StandardCharsets.UTF_8));
            body.write(0);
        }
        body.write(0);
        return message('R', body.toByteArray());
    }

    public static byte[] backendKeyData(int processId, int secretKey) {
        return message('K', RawClient.concat(RawClient.int32(processId), RawClient.int32(secretKey)));
    }

    public static byte[] readyForQuery(char status) {
        return message('Z', new byte[] {(byte) status});
    }

    public static byte[] notificationResponse(int processId, String channel, String payload) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(RawClient.int32(processId));
        body.writeBytes(channel.getBytes(StandardCharsets.UTF_8));
        body.write(0);
        body.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
        body.write(0);
        return message('A', body.toByteArray());
    }

    public static byte[] parameterStatus(String name, String value) {
        return message('S', RawClient.concat(name.getBytes(StandardCharsets.UTF_8), new byte[] {0},
                value.getBytes(StandardCharsets.UTF_8), new byte[] {0}));
    }

    public static byte[] errorResponse(String severity, String sqlState, String text) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        field(body, 'S', severity);
        field(body, 'V', severity);
        field(body, 'C', sqlState);
        field(body, 'M', text);
        body.write(0);
        return message('E', body.toByteArray());
    }

    /** The usual successful startup: AuthenticationOk, BackendKeyData, ReadyForQuery (idle). */
    public static byte[] loggedIn(int processId, int secretKey) {
        return RawClient.concat(authenticationOk(), backendKeyData(processId, secretKey), readyForQuery('I'));
    }

    public static byte[] message(char type, byte[] body) {
        return RawClient.concat(new byte[] {(byte) type}, RawClient.int32(body.length + 4), body);
    }

    private static void field(ByteArrayOutputStream body, char code, String value) {
        body.write(code);
        body.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        body.write(0);
    }
}
