package io.pgwarden.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.pgwarden.protocol.fixtures.Fixture;
import io.pgwarden.protocol.message.Message;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Feeds the decoders, in an EmbeddedChannel, with recorded traffic that has been damaged
 * (bit flips, truncations, corrupted length and count fields, splices), with well-framed
 * messages of random content, and with random bytes, cut into random reads. For every input:
 * <ul>
 *   <li>nothing but a {@link ProtocolException} escapes, and after it everything is discarded
 *       quietly;</li>
 *   <li>what was decoded re-encodes to exactly the bytes it was decoded from;</li>
 *   <li>the decoder never holds more than one message's worth of bytes (the configured limit
 *       plus the header), and decoding allocates memory in proportion to the input, not to
 *       the counts and lengths the input claims;</li>
 *   <li>decoding finishes: each input runs under a watchdog, and no input yields more
 *       messages than it has bytes.</li>
 * </ul>
 * Four properties of 25,000 tries each: 100,000 inputs, both directions, both phases.
 */
class DecoderFuzzTest {
    private static final int TRIES = 25_000;
    private static final int[] MAX_MESSAGE_LENGTHS = {16, 300, 8192, 1 << 20};
    private static final int[] INTERESTING_INTS = {
            Integer.MIN_VALUE, -2, -1, 0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 255, 256, 257, 299, 300, 301,
            8191, 8192, 8193, 10_000, 10_004, 10_005, 65_535, 65_536, (1 << 20) - 1, 1 << 20, (1 << 20) + 1,
            80877102, 80877103, 80877104, 196608, 196610, Integer.MAX_VALUE};
    private static final byte[] FRONTEND_TYPES = "BCdcfDEHFpPQSX".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] FIELD_CODES = "SPCMVIETNpqDHWstcdnFLR".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] BACKEND_TYPES =
            "RK23CdcGHWDIEVvnNAtS1sZT".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Untracked, since paranoid leak tracking would dominate; leaks are checked by reference counts. */
    private static final ByteBufAllocator ALLOCATOR = new UnpooledByteBufAllocator(false, true);
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * Allocation allowed per input: a constant (the exception and its stack trace), a little
     * per read (the channel's bookkeeping) and per byte (decoded strings, copies of values).
     * A list sized from a lying Int16 count alone, 65535 references, would exceed it for any
     * input shorter than a few kilobytes.
     */
    static final long ALLOCATION_BASE = 128 * 1024;
    static final long ALLOCATION_PER_READ = 1024;
    static final long ALLOCATION_PER_INPUT_BYTE = 32;

    private static ExecutorService worker;
    private static List<byte[]> clientStreams;
    private static List<byte[]> clientRegularStreams;
    private static List<byte[]> serverStreams;
    private static List<byte[]> serverRegularStreams;
    private static long worstAllocation;
    private static String worstAllocationInput;

    enum Phase { FRONTEND_STARTUP, FRONTEND_REGULAR, BACKEND_REGULAR, BACKEND_ENCRYPTION_RESPONSE }

    /** One input: the bytes, where they are cut into reads, and the decoder's limit. */
    record Input(Phase phase, String origin, byte[] bytes, int[] cuts, int maxMessageLength, boolean expectSsl) {
        List<byte[]> chunks() {
            List<byte[]> chunks = new ArrayList<>();
            int start = 0;
            for (int cut : cuts) {
                chunks.add(Arrays.copyOfRange(bytes, start, cut));
                start = cut;
            }
            chunks.add(Arrays.copyOfRange(bytes, start, bytes.length));
            return chunks;
        }

        @Override
        public String toString() {
            String hex = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 512));
            return phase + " " + origin + ", max " + maxMessageLength + ", " + bytes.length + " bytes cut at "
                    + Arrays.toString(cuts) + ": " + hex + (bytes.length > 512 ? "…" : "");
        }
    }

    @BeforeContainer
    static void loadCorpusAndWarmUp() throws Exception {
        clientStreams = new ArrayList<>();
        clientRegularStreams = new ArrayList<>();
        serverStreams = new ArrayList<>();
        serverRegularStreams = new ArrayList<>();
        for (Fixture fixture : Fixture.all()) {
            clientStreams.add(fixture.client());
            clientRegularStreams.add(afterStartupPhase(fixture.client()));
            serverStreams.add(fixture.server());
            serverRegularStreams.add(afterEncryptionResponses(fixture));
        }
        worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "decoder-fuzz"));
        // Load and compile the decoding paths before allocation is measured.
        Random random = new Random(1);
        for (int i = 0; i < 300; i++) {
            for (Phase phase : Phase.values()) {
                Input input = generate(phase, random);
                worker.submit(() -> feed(input, false)).get();
            }
        }
    }

    @AfterContainer
    static void stopWorker() {
        worker.shutdownNow();
        System.out.println("DecoderFuzzTest: most bytes allocated for one input: " + worstAllocation
                + " (" + worstAllocationInput + ")");
    }

    private static byte[] afterStartupPhase(byte[] client) {
        int offset = 0;
        while (offset + 8 <= client.length) {
            int length = readInt(client, offset);
            int code = readInt(client, offset + 4);
            offset += length;
            if (code != 80877103 && code != 80877104) {
                break;
            }
        }
        return Arrays.copyOfRange(client, Math.min(offset, client.length), client.length);
    }

    private static byte[] afterEncryptionResponses(Fixture fixture) {
        int requests = 0;
        byte[] client = fixture.client();
        for (int offset = 0; offset + 8 <= client.length && readInt(client, offset) == 8; offset += 8) {
            requests++;
        }
        return Arrays.copyOfRange(fixture.server(), Math.min(requests, fixture.server().length), fixture.server().length);
    }

    private static int readInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xff) << 24 | (bytes[offset + 1] & 0xff) << 16
                | (bytes[offset + 2] & 0xff) << 8 | (bytes[offset + 3] & 0xff);
    }

    // ---- properties ----

    @Property(tries = TRIES)
    void frontendStartupPhase(@ForAll("frontendStartupInputs") Input input) throws Exception {
        check(input);
    }

    @Property(tries = TRIES)
    void frontendRegularPhase(@ForAll("frontendRegularInputs") Input input) throws Exception {
        check(input);
    }

    @Property(tries = TRIES)
    void backendRegularPhase(@ForAll("backendRegularInputs") Input input) throws Exception {
        check(input);
    }

    @Property(tries = TRIES)
    void backendEncryptionResponse(@ForAll("backendEncryptionResponseInputs") Input input) throws Exception {
        check(input);
    }

    @Provide
    Arbitrary<Input> frontendStartupInputs() {
        return Arbitraries.randomValue(random -> generate(Phase.FRONTEND_STARTUP, random));
    }

    @Provide
    Arbitrary<Input> frontendRegularInputs() {
        return Arbitraries.randomValue(random -> generate(Phase.FRONTEND_REGULAR, random));
    }

    @Provide
    Arbitrary<Input> backendRegularInputs() {
        return Arbitraries.randomValue(random -> generate(Phase.BACKEND_REGULAR, random));
    }

    @Provide
    Arbitrary<Input> backendEncryptionResponseInputs() {
        return Arbitraries.randomValue(random -> generate(Phase.BACKEND_ENCRYPTION_RESPONSE, random));
    }

    private static void check(Input input) throws Exception {
        Future<?> run = worker.submit(() -> feed(input, true));
        try {
            run.get(20, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            run.cancel(true);
            throw new AssertionError("decoding did not finish within 20 s: " + input, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new AssertionError(e.getCause());
        }
    }

    // ---- one run ----

    private static Void feed(Input input, boolean measure) {
        ByteToMessageDecoder decoder = switch (input.phase()) {
            case FRONTEND_STARTUP -> new FrontendMessageDecoder(input.maxMessageLength());
            case FRONTEND_REGULAR -> FrontendMessageDecoder.afterStartup(input.maxMessageLength());
            case BACKEND_REGULAR, BACKEND_ENCRYPTION_RESPONSE -> new BackendMessageDecoder(input.maxMessageLength());
        };
        if (input.phase() == Phase.BACKEND_ENCRYPTION_RESPONSE) {
            if (input.expectSsl()) {
                ((BackendMessageDecoder) decoder).expectSSLResponse();
            } else {
                ((BackendMessageDecoder) decoder).expectGSSENCResponse();
            }
        }
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        channel.config().setAllocator(ALLOCATOR);
        long bufferLimit = Math.max(ProtocolLimits.MAX_STARTUP_PACKET_LENGTH + 4,
                input.maxMessageLength() + RegularFraming.HEADER_LENGTH);
        List<byte[]> chunks = input.chunks();
        List<ByteBuf> inputs = new ArrayList<>(chunks.size());
        for (byte[] chunk : chunks) {
            inputs.add(ALLOCATOR.buffer(chunk.length).writeBytes(chunk));
        }
        List<Message> messages = new ArrayList<>();
        ProtocolException failure = null;

        long allocatedBefore = measure ? THREADS.getCurrentThreadAllocatedBytes() : 0;
        for (ByteBuf buf : inputs) {
            boolean failedBefore = failure != null;
            try {
                channel.writeInbound(buf);
            } catch (ProtocolException e) {
                assertThat(failure).as("a second exception after the first violation: %s", input).isNull();
                assertThat(e.sqlState()).isIn(SqlState.PROTOCOL_VIOLATION, SqlState.FEATURE_NOT_SUPPORTED);
                assertThat(e.getMessage()).isNotBlank();
                failure = e;
            }
            // Messages that precede a violation in the same read are delivered before it.
            Object message;
            while ((message = channel.readInbound()) != null) {
                assertThat(failedBefore).as("a message decoded from a read after a violation: %s", input).isFalse();
                messages.add((Message) message);
            }
            assertThat((long) bufferedBytes(decoder)).as("bytes held by the decoder for %s", input)
                    .isLessThanOrEqualTo(bufferLimit);
        }
        long allocated = measure ? THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore : 0;

        int leftover = bufferedBytes(decoder);
        channel.finishAndReleaseAll();
        for (ByteBuf buf : inputs) {
            assertThat(buf.refCnt()).as("input buffer released: %s", input).isZero();
        }
        assertThat(messages.size()).as("messages decoded from %s", input).isLessThanOrEqualTo(input.bytes().length);

        // Everything decoded re-encodes to the bytes it came from, in order.
        byte[] reEncoded = Conversation.encode(messages, ALLOCATOR);
        byte[] consumed = Arrays.copyOf(input.bytes(), Math.min(reEncoded.length, input.bytes().length));
        assertThat(reEncoded).as("re-encoded messages of %s", input).isEqualTo(consumed);
        if (failure == null) {
            assertThat(reEncoded.length + leftover).as("bytes accounted for in %s", input)
                    .isEqualTo(input.bytes().length);
        }

        if (measure) {
            synchronized (DecoderFuzzTest.class) {
                if (allocated > worstAllocation) {
                    worstAllocation = allocated;
                    worstAllocationInput = input.bytes().length + " bytes in " + chunks.size() + " reads, "
                            + input.phase() + " " + input.origin();
                }
            }
            assertThat(allocated).as("bytes allocated while decoding %s", input)
                    .isLessThanOrEqualTo(ALLOCATION_BASE + ALLOCATION_PER_READ * chunks.size()
                            + ALLOCATION_PER_INPUT_BYTE * input.bytes().length);
        }
        return null;
    }

    private static int bufferedBytes(ByteToMessageDecoder decoder) {
        return decoder instanceof FrontendMessageDecoder frontend
                ? frontend.bufferedBytes()
                : ((BackendMessageDecoder) decoder).bufferedBytes();
    }

    // ---- inputs ----

    static Input generate(Phase phase, Random random) {
        int maxMessageLength = MAX_MESSAGE_LENGTHS[random.nextInt(MAX_MESSAGE_LENGTHS.length)];
        int kind = random.nextInt(10);
        String origin;
        byte[] bytes;
        if (kind < 6) {
            bytes = mutate(seed(phase, random), random);
            origin = "mutated recording";
        } else if (kind < 9) {
            bytes = framedRandom(phase, random);
            origin = "framed random";
        } else {
            bytes = randomBytes(random, random.nextInt(257));
            origin = "random";
        }
        if (phase == Phase.BACKEND_ENCRYPTION_RESPONSE && random.nextInt(4) != 0) {
            // Mostly a plausible answer byte in front: 'S', 'N', 'G', 'E', or TLS's 0x16.
            byte[] answers = {'S', 'N', 'G', 'E', 0x16};
            bytes = concat(new byte[] {answers[random.nextInt(answers.length)]}, bytes);
        }
        return new Input(phase, origin, bytes, cuts(bytes.length, random), maxMessageLength, random.nextBoolean());
    }

    /** A recorded stream for the phase, cut short at a random point to keep inputs small. */
    private static byte[] seed(Phase phase, Random random) {
        List<byte[]> streams = switch (phase) {
            case FRONTEND_STARTUP -> clientStreams;
            case FRONTEND_REGULAR -> clientRegularStreams;
            case BACKEND_REGULAR -> serverRegularStreams;
            case BACKEND_ENCRYPTION_RESPONSE -> random.nextBoolean() ? serverStreams : serverRegularStreams;
        };
        byte[] stream = streams.get(random.nextInt(streams.size()));
        int length = Math.min(stream.length, 64 + random.nextInt(1536));
        return Arrays.copyOf(stream, length);
    }

    private static byte[] mutate(byte[] bytes, Random random) {
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            bytes = switch (random.nextInt(9)) {
                case 0 -> flipBit(bytes, random);
                case 1 -> setByte(bytes, random);
                case 2 -> Arrays.copyOf(bytes, bytes.length == 0 ? 0 : random.nextInt(bytes.length));
                case 3 -> deleteRange(bytes, random);
                case 4 -> insert(bytes, random, randomBytes(random, 1 + random.nextInt(16)));
                case 5 -> duplicateRange(bytes, random);
                case 6 -> splice(bytes, random);
                case 7 -> corruptLength(bytes, random);
                default -> corruptCount(bytes, random);
            };
        }
        return bytes;
    }

    private static byte[] flipBit(byte[] bytes, Random random) {
        if (bytes.length == 0) {
            return bytes;
        }
        byte[] copy = bytes.clone();
        copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        return copy;
    }

    private static byte[] setByte(byte[] bytes, Random random) {
        if (bytes.length == 0) {
            return bytes;
        }
        byte[] values = {0, (byte) 0xff, 0x7f, (byte) 0x80, 1, (byte) random.nextInt(256)};
        byte[] copy = bytes.clone();
        copy[random.nextInt(copy.length)] = values[random.nextInt(values.length)];
        return copy;
    }

    private static byte[] deleteRange(byte[] bytes, Random random) {
        if (bytes.length < 2) {
            return bytes;
        }
        int from = random.nextInt(bytes.length);
        int to = Math.min(bytes.length, from + 1 + random.nextInt(32));
        return concat(Arrays.copyOfRange(bytes, 0, from), Arrays.copyOfRange(bytes, to, bytes.length));
    }

    private static byte[] insert(byte[] bytes, Random random, byte[] inserted) {
        int at = random.nextInt(bytes.length + 1);
        return concat(Arrays.copyOfRange(bytes, 0, at), inserted, Arrays.copyOfRange(bytes, at, bytes.length));
    }

    private static byte[] duplicateRange(byte[] bytes, Random random) {
        if (bytes.length == 0) {
            return bytes;
        }
        int from = random.nextInt(bytes.length);
        int to = Math.min(bytes.length, from + 1 + random.nextInt(64));
        return insert(bytes, random, Arrays.copyOfRange(bytes, from, to));
    }

    /** Inserts a piece of another recording, from either direction. */
    private static byte[] splice(byte[] bytes, Random random) {
        List<byte[]> pool = random.nextBoolean() ? clientStreams : serverStreams;
        byte[] other = pool.get(random.nextInt(pool.size()));
        if (other.length == 0) {
            return bytes;
        }
        int from = random.nextInt(other.length);
        int to = Math.min(other.length, from + 1 + random.nextInt(128));
        return insert(bytes, random, Arrays.copyOfRange(other, from, to));
    }

    /** Overwrites an Int32 where a length word is likely: after a message boundary, or anywhere. */
    private static byte[] corruptLength(byte[] bytes, Random random) {
        List<Integer> lengthOffsets = lengthWordOffsets(bytes);
        if (bytes.length < 4) {
            return bytes;
        }
        int offset = !lengthOffsets.isEmpty() && random.nextInt(4) != 0
                ? lengthOffsets.get(random.nextInt(lengthOffsets.size()))
                : random.nextInt(bytes.length - 3);
        int value = random.nextInt(3) == 0 ? random.nextInt() : INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)];
        byte[] copy = bytes.clone();
        copy[offset] = (byte) (value >>> 24);
        copy[offset + 1] = (byte) (value >>> 16);
        copy[offset + 2] = (byte) (value >>> 8);
        copy[offset + 3] = (byte) value;
        return copy;
    }

    /** The offsets of the length words of the typed messages framed from the start. */
    private static List<Integer> lengthWordOffsets(byte[] bytes) {
        List<Integer> offsets = new ArrayList<>();
        int offset = 0;
        while (offset + 5 <= bytes.length) {
            offsets.add(offset + 1);
            int length = readInt(bytes, offset + 1);
            if (length < 4 || length > bytes.length) {
                break;
            }
            offset += 1 + length;
        }
        return offsets;
    }

    /** Overwrites an Int16 with a value that makes a count claim much more than the body has. */
    private static byte[] corruptCount(byte[] bytes, Random random) {
        if (bytes.length < 2) {
            return bytes;
        }
        short[] values = {(short) 0xffff, 0x7fff, (short) 0x8000, 0x0100, 0};
        short value = values[random.nextInt(values.length)];
        byte[] copy = bytes.clone();
        int offset = random.nextInt(bytes.length - 1);
        copy[offset] = (byte) (value >>> 8);
        copy[offset + 1] = (byte) value;
        return copy;
    }

    /** One to five messages with a plausible header and a random body, sometimes lying about its length. */
    private static byte[] framedRandom(Phase phase, Random random) {
        byte[] result = new byte[0];
        int count = 1 + random.nextInt(5);
        for (int i = 0; i < count; i++) {
            byte[] body = structuredBody(random);
            if (phase == Phase.FRONTEND_STARTUP && i == 0) {
                int[] codes = {80877103, 80877104, 80877102, 196608, 196610, 3 << 16 | 99, 2 << 16, random.nextInt()};
                body = concat(intBytes(codes[random.nextInt(codes.length)]), body);
                int length = random.nextInt(8) == 0 ? INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)] : 4 + body.length;
                result = concat(result, intBytes(length), body);
                continue;
            }
            byte[] types = phase == Phase.FRONTEND_REGULAR || phase == Phase.FRONTEND_STARTUP ? FRONTEND_TYPES : BACKEND_TYPES;
            byte type = random.nextInt(20) == 0 ? (byte) random.nextInt(256) : types[random.nextInt(types.length)];
            if (type == 'R' && random.nextBoolean()) {
                body = concat(intBytes(random.nextInt(14)), body);
            }
            int length = random.nextInt(8) == 0 ? INTERESTING_INTS[random.nextInt(INTERESTING_INTS.length)] : 4 + body.length;
            result = concat(result, new byte[] {type}, intBytes(length), body);
        }
        return result;
    }

    /** A body made of the pieces real bodies are made of: small counts, lengths, strings, NULs. */
    private static byte[] structuredBody(Random random) {
        byte[] body = new byte[0];
        int pieces = random.nextInt(6);
        for (int i = 0; i < pieces; i++) {
            body = concat(body, switch (random.nextInt(6)) {
                case 0 -> new byte[] {0, (byte) random.nextInt(4)};
                case 1 -> intBytes(random.nextInt(3) == 0 ? -1 : random.nextInt(8));
                case 2 -> concat(randomAscii(random, random.nextInt(8)), new byte[] {0});
                case 3 -> new byte[] {0};
                case 4 -> new byte[] {FIELD_CODES[random.nextInt(FIELD_CODES.length)]};
                default -> randomBytes(random, random.nextInt(8));
            });
        }
        return body;
    }

    private static byte[] randomAscii(Random random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (0x21 + random.nextInt(0x5e));
        }
        return bytes;
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] intBytes(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, offset, part.length);
            offset += part.length;
        }
        return all;
    }

    /** Where to cut the input into reads: not at all, once, at random, or (if short) after every byte. */
    private static int[] cuts(int length, Random random) {
        if (length < 2) {
            return new int[0];
        }
        return switch (random.nextInt(4)) {
            case 0 -> new int[0];
            case 1 -> new int[] {1 + random.nextInt(length - 1)};
            case 2 -> {
                List<Integer> cuts = new ArrayList<>();
                for (int at = 1 + random.nextInt(64); at < length; at += 1 + random.nextInt(64)) {
                    cuts.add(at);
                }
                yield cuts.stream().mapToInt(Integer::intValue).toArray();
            }
            default -> {
                int n = Math.min(length, 300);
                int[] cuts = new int[n - 1];
                for (int i = 1; i < n; i++) {
                    cuts[i - 1] = i;
                }
                yield cuts;
            }
        };
    }
}
