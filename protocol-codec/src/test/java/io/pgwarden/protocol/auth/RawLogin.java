package io.pgwarden.protocol.auth;

import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Logs in to a PostgreSQL server over TCP with nothing but this package's primitives, speaking
 * the startup and authentication messages by hand, and reports how it went: {@code "ok"} after
 * AuthenticationOk, or {@code "error <SQLSTATE>"} after an ErrorResponse.
 */
final class RawLogin {

    /** What happened, in order: the authentication requests seen, then the outcome. */
    final List<String> steps = new ArrayList<>();

    String login(int port, String user, String password) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            final DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            final byte[] parameters = concat(cstring("user"), cstring(user), cstring("database"), cstring("postgres"), new byte[] {0});
            out.writeInt(8 + parameters.length);
            out.writeInt(196608); // protocol 3.0
            out.write(parameters);
            out.flush();

            ScramClient scram = null;
            while (true) {
                final char type = (char) in.readUnsignedByte();
                final byte[] body = new byte[in.readInt() - 4];
                in.readFully(body);
                if (type == 'E') {
                    final String outcome = "error " + errorField(body, 'C');
                    steps.add(outcome);
                    return outcome;
                }
                if (type != 'R') {
                    throw new IOException("unexpected message '" + type + "' during authentication");
                }
                final int request = (body[0] & 0xFF) << 24 | (body[1] & 0xFF) << 16 | (body[2] & 0xFF) << 8 | (body[3] & 0xFF);
                final String rest = new String(body, 4, body.length - 4, StandardCharsets.UTF_8);
                switch (request) {
                    case 0 -> {
                        steps.add("ok");
                        out.write(new byte[] {'X', 0, 0, 0, 4});
                        out.flush();
                        return "ok";
                    }
                    case 5 -> {
                        steps.add("AuthenticationMD5Password");
                        final byte[] salt = {body[4], body[5], body[6], body[7]};
                        send(out, 'p', cstring(Md5Password.saltedResponse(user, password, salt)));
                    }
                    case 10 -> {
                        final List<String> mechanisms = SaslMechanismList.read(Unpooled.wrappedBuffer(body, 4, body.length - 4));
                        steps.add("AuthenticationSASL " + mechanisms);
                        scram = ScramClient.sha256("", password, ChannelBinding.notSupported(), new SecureRandom());
                        final byte[] first = scram.clientFirstMessage().getBytes(StandardCharsets.UTF_8);
                        send(out, 'p', concat(cstring(SaslMechanismList.SCRAM_SHA_256), int32(first.length), first));
                    }
                    case 11 -> {
                        steps.add("AuthenticationSASLContinue");
                        send(out, 'p', scram.clientFinalMessage(rest).getBytes(StandardCharsets.UTF_8));
                    }
                    case 12 -> {
                        steps.add("AuthenticationSASLFinal");
                        scram.verifyServerFinal(rest);
                    }
                    default -> throw new IOException("unexpected authentication request " + request);
                }
            }
        }
    }

    private static void send(DataOutputStream out, char type, byte[] body) throws IOException {
        out.writeByte(type);
        out.writeInt(4 + body.length);
        out.write(body);
        out.flush();
    }

    private static String errorField(byte[] body, char field) {
        int i = 0;
        while (i < body.length && body[i] != 0) {
            int end = i + 1;
            while (body[end] != 0) {
                end++;
            }
            if (body[i] == field) {
                return new String(body, i + 1, end - i - 1, StandardCharsets.UTF_8);
            }
            i = end + 1;
        }
        return null;
    }

    private static byte[] cstring(String value) {
        return concat(value.getBytes(StandardCharsets.UTF_8), new byte[] {0});
    }

    private static byte[] int32(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    private static byte[] concat(byte[]... parts) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
