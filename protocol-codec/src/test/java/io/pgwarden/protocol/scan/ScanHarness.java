package io.pgwarden.protocol.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Feeds a stream to a scanner read by read and records what it reports, and computes the
 * same events with a straightforward parse of the whole stream, for comparison.
 *
 * <p>Events are strings such as {@code "ReadyForQuery I"}, {@code "ErrorResponse FATAL 57P01"},
 * {@code "ParameterStatus@17 TimeZone=UTC"}; an index that the scanner reports as -1 appears
 * as {@code @-}, any other as the offset in the whole stream.
 */
final class ScanHarness {

    /** Bytes around each read that a scanner must never look at. */
    private static final byte[] GUARD = {'Z', 0, 0, 0, 5, 'X', (byte) 0xFF, (byte) 0xFF};

    static final int MAX_LENGTH = 8 * 1024 * 1024;

    private ScanHarness() {
    }

    /** A stream's bytes, read by read, held in buffers with guard bytes around the readable part. */
    interface ChunkConsumer {
        void accept(ByteBuf buffer, int streamOffset);
    }

    static void feed(byte[] stream, Chunking chunking, boolean direct, ChunkConsumer consumer) {
        for (int chunk = 0; chunk < chunking.chunkCount(); chunk++) {
            final int start = chunking.chunkStart(chunk);
            final int length = chunking.chunkEnd(chunk) - start;
            final ByteBuf buffer = direct
                ? Unpooled.directBuffer(length + 2 * GUARD.length)
                : Unpooled.buffer(length + 2 * GUARD.length);
            try {
                buffer.writeBytes(GUARD).writeBytes(stream, start, length).writeBytes(GUARD);
                buffer.setIndex(GUARD.length, GUARD.length + length);
                final byte[] before = new byte[buffer.capacity()];
                buffer.getBytes(0, before);

                consumer.accept(buffer, start);

                assertThat(buffer.readerIndex()).as("readerIndex").isEqualTo(GUARD.length);
                assertThat(buffer.writerIndex()).as("writerIndex").isEqualTo(GUARD.length + length);
                final byte[] after = new byte[buffer.capacity()];
                buffer.getBytes(0, after);
                assertThat(after).as("buffer content").isEqualTo(before);
            } finally {
                buffer.release();
            }
        }
    }

    static List<String> scanBackend(byte[] stream, Chunking chunking) {
        return scanBackend(stream, chunking, false);
    }

    static List<String> scanBackend(byte[] stream, Chunking chunking, boolean direct) {
        final BackendRecorder recorder = new BackendRecorder();
        final BackendMessageScanner scanner = new BackendMessageScanner(MAX_LENGTH, recorder);
        feed(stream, chunking, direct, (buffer, offset) -> {
            recorder.buffer = buffer;
            recorder.streamOffset = offset;
            scanner.scan(buffer);
        });
        assertThat(scanner.atMessageBoundary()).as("at a message boundary after the stream").isTrue();
        return recorder.events;
    }

    static List<String> scanFrontend(byte[] stream, Chunking chunking) {
        final FrontendRecorder recorder = new FrontendRecorder();
        final FrontendMessageScanner scanner = new FrontendMessageScanner(MAX_LENGTH, recorder);
        feed(stream, chunking, false, (buffer, offset) -> {
            recorder.buffer = buffer;
            recorder.streamOffset = offset;
            scanner.scan(buffer);
        });
        assertThat(scanner.atMessageBoundary()).as("at a message boundary after the stream").isTrue();
        return recorder.events;
    }

    static final class BackendRecorder implements BackendMessageListener {
        final List<String> events = new ArrayList<>();
        ByteBuf buffer;
        int streamOffset;

        @Override
        public void readyForQuery(byte transactionStatus) {
            events.add("ReadyForQuery " + (char) transactionStatus);
        }

        @Override
        public void errorResponse(ErrorSeverity severity, int sqlState) {
            events.add("ErrorResponse " + severity + " " + PackedSqlState.unpack(sqlState));
        }

        @Override
        public void parameterStatus(int messageIndex) {
            if (messageIndex < 0) {
                events.add("ParameterStatus@-");
                return;
            }
            // Decode from the buffer as a proxy would; an index that does not point at a whole
            // ParameterStatus runs into the guard bytes or past the buffer and fails the test.
            assertThat(buffer.getByte(messageIndex)).isEqualTo((byte) 'S');
            final int end = messageIndex + 1 + buffer.getInt(messageIndex + 1);
            assertThat(end).isLessThanOrEqualTo(buffer.writerIndex());
            final byte[] body = new byte[end - messageIndex - 5];
            buffer.getBytes(messageIndex + 5, body);
            events.add("ParameterStatus@" + (streamOffset + messageIndex - buffer.readerIndex())
                + " " + nameAndValue(body));
        }

        @Override
        public void backendKeyData() {
            events.add("BackendKeyData");
        }

        @Override
        public void copyResponse(byte type) {
            events.add("CopyResponse " + (char) type);
        }

        @Override
        public void notificationResponse() {
            events.add("NotificationResponse");
        }
    }

    static final class FrontendRecorder implements FrontendMessageListener {
        final List<String> events = new ArrayList<>();
        ByteBuf buffer;
        int streamOffset;

        private String at(String name, byte type, int messageIndex) {
            if (messageIndex < 0) {
                return name + "@-";
            }
            assertThat(buffer.getByte(messageIndex)).isEqualTo(type);
            return name + "@" + (streamOffset + messageIndex - buffer.readerIndex());
        }

        @Override
        public void query(int messageIndex) {
            events.add(at("Query", (byte) 'Q', messageIndex));
        }

        @Override
        public void parse(int messageIndex) {
            events.add(at("Parse", (byte) 'P', messageIndex));
        }

        @Override
        public void bind(int messageIndex) {
            events.add(at("Bind", (byte) 'B', messageIndex));
        }

        @Override
        public void functionCall(int messageIndex) {
            events.add(at("FunctionCall", (byte) 'F', messageIndex));
        }

        @Override
        public void sync() {
            events.add("Sync");
        }

        @Override
        public void terminate() {
            events.add("Terminate");
        }

        @Override
        public void copyDone() {
            events.add("CopyDone");
        }

        @Override
        public void copyFail() {
            events.add("CopyFail");
        }
    }

    // --- the reference: a plain parse of the whole stream ----------------------------------

    /** One message of a stream: its type, the offset of its type byte, its declared length, its body. */
    record Message(char type, int start, int length, byte[] body) {
    }

    static List<Message> split(byte[] stream) {
        final List<Message> messages = new ArrayList<>();
        final ByteBuffer in = ByteBuffer.wrap(stream);
        while (in.hasRemaining()) {
            final int start = in.position();
            final char type = (char) (in.get() & 0xFF);
            final int length = in.getInt();
            final byte[] body = new byte[length - 4];
            in.get(body);
            messages.add(new Message(type, start, length, body));
        }
        return messages;
    }

    static List<String> expectedBackend(byte[] stream, Chunking chunking) {
        final List<String> events = new ArrayList<>();
        for (Message m : split(stream)) {
            switch (m.type()) {
                case 'Z' -> events.add("ReadyForQuery " + (char) m.body()[0]);
                case 'E' -> events.add(expectedError(m.body()));
                case 'S' -> {
                    final boolean whole = chunking.chunkOf(m.start()) == chunking.chunkOf(m.start() + m.length());
                    events.add(whole ? "ParameterStatus@" + m.start() + " " + nameAndValue(m.body()) : "ParameterStatus@-");
                }
                case 'K' -> events.add("BackendKeyData");
                case 'G', 'H', 'W' -> events.add("CopyResponse " + m.type());
                case 'A' -> events.add("NotificationResponse");
                default -> {
                }
            }
        }
        return events;
    }

    static List<String> expectedFrontend(byte[] stream, Chunking chunking) {
        final List<String> events = new ArrayList<>();
        for (Message m : split(stream)) {
            final String at = chunking.chunkOf(m.start()) == chunking.chunkOf(m.start() + 4)
                ? "@" + m.start() : "@-";
            switch (m.type()) {
                case 'Q' -> events.add("Query" + at);
                case 'P' -> events.add("Parse" + at);
                case 'B' -> events.add("Bind" + at);
                case 'F' -> events.add("FunctionCall" + at);
                case 'S' -> events.add("Sync");
                case 'X' -> events.add("Terminate");
                case 'c' -> events.add("CopyDone");
                case 'f' -> events.add("CopyFail");
                default -> {
                }
            }
        }
        return events;
    }

    /** Severity from V, else S; SQLSTATE from C if five characters of [0-9A-Z]; later fields win. */
    static String expectedError(byte[] body) {
        final Map<Character, String> fields = new LinkedHashMap<>();
        int i = 0;
        while (i < body.length && body[i] != 0) {
            final char type = (char) (body[i] & 0xFF);
            final int valueStart = i + 1;
            int nul = valueStart;
            while (nul < body.length && body[nul] != 0) {
                nul++;
            }
            if (nul == body.length) {
                break; // value cut off by the end of the message: ignored
            }
            fields.put(type, new String(body, valueStart, nul - valueStart, StandardCharsets.ISO_8859_1));
            i = nul + 1;
        }
        final String severityText = fields.containsKey('V') ? fields.get('V') : fields.get('S');
        final String severity = severityText != null && List.of("ERROR", "FATAL", "PANIC").contains(severityText)
            ? severityText : "UNKNOWN";
        final String code = fields.get('C');
        final String sqlState = code != null && code.matches("[0-9A-Z]{5}") ? code : null;
        return "ErrorResponse " + severity + " " + sqlState;
    }

    /** "name=value" of a ParameterStatus body, or "<malformed>" if it is not two strings. */
    static String nameAndValue(byte[] body) {
        final List<String> strings = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < body.length; i++) {
            if (body[i] == 0) {
                strings.add(new String(body, start, i - start, StandardCharsets.ISO_8859_1));
                start = i + 1;
            }
        }
        return strings.size() == 2 && start == body.length
            ? strings.get(0) + "=" + strings.get(1) : "<malformed>";
    }

    static String describe(byte[] stream) {
        return stream.length + " bytes: " + Arrays.toString(split(stream).stream().map(Message::type).toArray());
    }
}
