package io.pgwarden.proxy.wire;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A client that speaks the wire protocol byte by byte, for tests of what the proxy itself
 * answers (startup errors, SSL and GSS negotiation, cancel keys).
 */
public final class RawClient implements AutoCloseable {

    /** One message as received: type byte and body. */
    public record Received(char type, byte[] body) {

        /** The fields of an ErrorResponse or NoticeResponse, by field code. */
        public Map<Character, String> fields() {
            Map<Character, String> fields = new LinkedHashMap<>();
            int i = 0;
            while (i < body.length && body[i] != 0) {
                char code = (char) body[i++];
                int end = i;
                while (body[end] != 0) {
                    end++;
                }
                fields.put(code, new String(body, i, end - i, StandardCharsets.UTF_8));
                i = end + 1;
            }
            return fields;
        }

        public int int32(int offset) {
            return ByteBuffer.wrap(body, offset, 4).getInt();
        }
    }

    private final Socket socket;
    private final DataInputStream in;

    public RawClient(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(20_000);
        in = new DataInputStream(socket.getInputStream());
    }

    public void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    public int readByte() throws IOException {
        return in.read();
    }

    public Received readMessage() throws IOException {
        char type = (char) in.readUnsignedByte();
        int length = in.readInt();
        byte[] body = new byte[length - 4];
        in.readFully(body);
        return new Received(type, body);
    }

    /** Reads messages until one of the given type arrives. */
    public Received readUntil(char type) throws IOException {
        while (true) {
            Received message = readMessage();
            if (message.type() == type) {
                return message;
            }
        }
    }

    /** Whether the peer has closed the connection without sending anything more. */
    public boolean atEndOfStream() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** Reads what remains until the peer closes, and fails on a timeout. */
    public byte[] readToEnd() throws IOException {
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        try {
            int n;
            while ((n = in.read(chunk)) != -1) {
                rest.write(chunk, 0, n);
            }
        } catch (SocketException | EOFException reset) {
            // Closed with a reset: the end as well.
        }
        return rest.toByteArray();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    // ---- packets

    public static byte[] startupMessage(String... nameValuePairs) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeInt(body, 196608);
        for (String part : nameValuePairs) {
            body.writeBytes(part.getBytes(StandardCharsets.UTF_8));
            body.write(0);
        }
        body.write(0);
        return withLength(body.toByteArray());
    }

    public static byte[] sslRequest() {
        return withLength(int32(80877103));
    }

    public static byte[] gssEncRequest() {
        return withLength(int32(80877104));
    }

    public static byte[] cancelRequest(int processId, int secretKey) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeInt(body, 80877102);
        writeInt(body, processId);
        writeInt(body, secretKey);
        return withLength(body.toByteArray());
    }

    public static byte[] query(String sql) {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(1 + 4 + text.length + 1);
        buffer.put((byte) 'Q').putInt(4 + text.length + 1).put(text).put((byte) 0);
        return buffer.array();
    }

    public static byte[] terminate() {
        return new byte[] {'X', 0, 0, 0, 4};
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    public static byte[] int32(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    private static byte[] withLength(byte[] body) {
        return concat(int32(body.length + 4), body);
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.writeBytes(int32(value));
    }
}
