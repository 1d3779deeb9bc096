package io.pgwarden.server.chaos;

import io.pgwarden.protocol.auth.ChannelBinding;
import io.pgwarden.protocol.auth.ScramClient;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * A PostgreSQL v3 client at the byte level, for sending what no driver would: garbage, truncated
 * and oversized packets, byte-by-byte startup packets, floods of Sync. It can also authenticate
 * properly (SCRAM-SHA-256, cleartext or trust) to abuse a session after the startup phase.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html">Message Formats</a>
 */
final class WireClient implements AutoCloseable {

    static final int PROTOCOL_3_0 = 196608;
    static final int SSL_REQUEST_CODE = 80877103;
    static final int CANCEL_REQUEST_CODE = 80877102;

    /** A backend message: its type byte and its body. */
    record Message(char type, byte[] body) {

        /** The SQLSTATE of an ErrorResponse or NoticeResponse, if it has one. */
        Optional<String> sqlState() {
            return field('C');
        }

        /** A field of an ErrorResponse or NoticeResponse. */
        Optional<String> field(char code) {
            int at = 0;
            while (at < body.length && body[at] != 0) {
                char fieldType = (char) body[at];
                int end = at + 1;
                while (end < body.length && body[end] != 0) {
                    end++;
                }
                if (fieldType == code) {
                    return Optional.of(new String(body, at + 1, end - at - 1, StandardCharsets.UTF_8));
                }
                at = end + 1;
            }
            return Optional.empty();
        }
    }

    /**
     * How a connection ended from the client's side.
     *
     * @param error the first ErrorResponse received, if any
     * @param closed whether the server closed the connection (as opposed to the read timing out)
     * @param elapsed from connecting until the close, or until the timeout
     */
    record Ending(Optional<Message> error, boolean closed, Duration elapsed) {

        Optional<String> sqlState() {
            return error.flatMap(Message::sqlState);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final long connectedAt;

    WireClient(int port, Duration readTimeout) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        socket.setSoTimeout(Math.toIntExact(readTimeout.toMillis()));
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        connectedAt = System.nanoTime();
    }

    // ------------------------------------------------------------------ building packets

    /** A StartupMessage for protocol 3.0 with {@code user}, {@code database} and {@code application_name}. */
    static byte[] startupMessage(String user, String database, String applicationName) {
        ByteArrayOutputStream parameters = new ByteArrayOutputStream();
        for (String text : new String[] {"user", user, "database", database, "application_name", applicationName}) {
            cString(parameters, text);
        }
        parameters.write(0);
        byte[] body = parameters.toByteArray();
        return ByteBuffer.allocate(8 + body.length).putInt(8 + body.length).putInt(PROTOCOL_3_0).put(body).array();
    }

    /** A startup-phase packet: length, then a 4-byte code, then {@code rest}. */
    static byte[] untypedPacket(int length, int code, byte[] rest) {
        return ByteBuffer.allocate(8 + rest.length).putInt(length).putInt(code).put(rest).array();
    }

    /** A typed message with its true length. */
    static byte[] message(char type, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).put((byte) type).putInt(4 + body.length).put(body).array();
    }

    /** A typed message header claiming {@code length}, followed by {@code body} only. */
    static byte[] messageClaiming(char type, int length, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).put((byte) type).putInt(length).put(body).array();
    }

    static byte[] query(String sql) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        cString(body, sql);
        return message('Q', body.toByteArray());
    }

    static byte[] sync() {
        return message('S', new byte[0]);
    }

    static byte[] terminate() {
        return message('X', new byte[0]);
    }

    private static void cString(ByteArrayOutputStream out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        out.write(0);
    }

    // ------------------------------------------------------------------ talking

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Half-closes: the server reads end-of-file, the client can still read. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Closes with a reset instead of a FIN, as a crashed client's kernel would. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** The next message, or empty at end-of-file. */
    Optional<Message> read() throws IOException {
        int type = in.read();
        if (type < 0) {
            return Optional.empty();
        }
        int length = in.readInt();
        if (length < 4 || length > 64 * 1024 * 1024) {
            throw new IOException("implausible message length " + length + " for type '" + (char) type + "'");
        }
        byte[] body = new byte[length - 4];
        in.readFully(body);
        return Optional.of(new Message((char) type, body));
    }

    /** One byte, as the answer to an SSLRequest or GSSENCRequest. */
    int readByte() throws IOException {
        return in.read();
    }

    /**
     * Reads until the server closes the connection or the read timeout passes, keeping the first
     * ErrorResponse.
     */
    Ending awaitEnd() {
        Optional<Message> error = Optional.empty();
        boolean closed;
        try {
            while (true) {
                Optional<Message> message = read();
                if (message.isEmpty()) {
                    closed = true;
                    break;
                }
                if (message.get().type() == 'E' && error.isEmpty()) {
                    error = message;
                }
            }
        } catch (SocketTimeoutException e) {
            closed = false;
        } catch (EOFException e) {
            closed = true;
        } catch (IOException e) {
            // A reset, or bytes that are no message at all: either way the connection is over.
            closed = true;
        }
        return new Ending(error, closed, Duration.ofNanos(System.nanoTime() - connectedAt));
    }

    /**
     * Sends a StartupMessage and completes authentication (trust, cleartext or SCRAM-SHA-256),
     * then reads up to the first ReadyForQuery.
     *
     * @throws IOException with the SQLSTATE and message of an ErrorResponse
     */
    void authenticate(String user, String password, String applicationName) throws IOException {
        send(startupMessage(user, "postgres", applicationName));
        ScramClient scram = null;
        while (true) {
            Message message = read().orElseThrow(() -> new EOFException("closed during authentication"));
            switch (message.type()) {
                case 'R' -> {
                    ByteBuffer body = ByteBuffer.wrap(message.body());
                    int code = body.getInt();
                    switch (code) {
                        case 0 -> {
                            // AuthenticationOk: ParameterStatus, BackendKeyData and ReadyForQuery follow.
                        }
                        case 3 -> {
                            ByteArrayOutputStream response = new ByteArrayOutputStream();
                            cString(response, password);
                            send(message('p', response.toByteArray()));
                        }
                        case 10 -> {
                            scram = ScramClient.sha256("", password, ChannelBinding.notSupported(), new SecureRandom());
                            byte[] first = scram.clientFirstMessage().getBytes(StandardCharsets.UTF_8);
                            ByteArrayOutputStream response = new ByteArrayOutputStream();
                            cString(response, "SCRAM-SHA-256");
                            response.writeBytes(ByteBuffer.allocate(4).putInt(first.length).array());
                            response.writeBytes(first);
                            send(message('p', response.toByteArray()));
                        }
                        case 11 -> {
                            String serverFirst = new String(Arrays.copyOfRange(message.body(), 4, message.body().length),
                                    StandardCharsets.UTF_8);
                            send(message('p', scram.clientFinalMessage(serverFirst).getBytes(StandardCharsets.UTF_8)));
                        }
                        case 12 -> scram.verifyServerFinal(new String(
                                Arrays.copyOfRange(message.body(), 4, message.body().length), StandardCharsets.UTF_8));
                        default -> throw new IOException("unsupported authentication request " + code);
                    }
                }
                case 'E' -> throw new IOException("authentication failed: " + message.sqlState().orElse("?") + " "
                        + message.field('M').orElse(""));
                case 'Z' -> {
                    return;
                }
                default -> {
                    // ParameterStatus, BackendKeyData, NoticeResponse
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
