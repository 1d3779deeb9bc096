package io.pgwarden.protocol.scan;

import static io.pgwarden.protocol.scan.Messages.concat;
import static io.pgwarden.protocol.scan.Messages.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.pgwarden.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random message sequences cut into random reads: the scanner reports exactly what a plain
 * parse of the whole stream says it should. Random bytes: nothing escapes but
 * {@link ProtocolException}, and how the bytes are cut never changes the outcome.
 */
class MessageScannerPropertiesTest {

    private static final int TRIES = 3_000;

    @Property(tries = TRIES)
    void backendReportsMatchTheReferenceForAnyReads(
            @ForAll @Size(min = 1, max = 40) List<@From("backendMessages") byte[]> messages,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 300) Integer> readSizes) {
        final byte[] stream = concat(messages.toArray(byte[][]::new));
        final Chunking chunking = chunking(stream.length, readSizes);
        assertThat(ScanHarness.scanBackend(stream, chunking)).isEqualTo(ScanHarness.expectedBackend(stream, chunking));
    }

    @Property(tries = TRIES)
    void frontendReportsMatchTheReferenceForAnyReads(
            @ForAll @Size(min = 1, max = 40) List<@From("frontendMessages") byte[]> messages,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 300) Integer> readSizes) {
        final byte[] stream = concat(messages.toArray(byte[][]::new));
        final Chunking chunking = chunking(stream.length, readSizes);
        assertThat(ScanHarness.scanFrontend(stream, chunking)).isEqualTo(ScanHarness.expectedFrontend(stream, chunking));
    }

    @Property(tries = TRIES)
    void randomBytesFailOnlyWithProtocolExceptionWhereverTheyAreCut(
            @ForAll("noise") byte[] stream,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 64) Integer> readSizes) {
        final String oneShotBackend = backendOutcome(stream, Chunking.whole(stream.length));
        assertThat(backendOutcome(stream, chunking(stream.length, readSizes))).isEqualTo(oneShotBackend);
        final String oneShotFrontend = frontendOutcome(stream, Chunking.whole(stream.length));
        assertThat(frontendOutcome(stream, chunking(stream.length, readSizes))).isEqualTo(oneShotFrontend);
    }

    /** Events (without buffer indices) and how the scan ended; anything but ProtocolException propagates. */
    private static String backendOutcome(byte[] stream, Chunking chunking) {
        final ScanHarness.BackendRecorder recorder = new ScanHarness.BackendRecorder();
        final BackendMessageScanner scanner = new BackendMessageScanner(4096, recorder);
        String end = "ok";
        try {
            ScanHarness.feed(stream, chunking, false, (buffer, offset) -> {
                recorder.buffer = buffer;
                recorder.streamOffset = offset;
                scanner.scan(buffer);
            });
        } catch (ProtocolException e) {
            assertThat(scanner.failed()).isTrue();
            end = "failed: " + e.getMessage();
        }
        return strip(recorder.events) + " " + end + " after " + scanner.messageCount();
    }

    private static String frontendOutcome(byte[] stream, Chunking chunking) {
        final ScanHarness.FrontendRecorder recorder = new ScanHarness.FrontendRecorder();
        final FrontendMessageScanner scanner = new FrontendMessageScanner(4096, recorder);
        String end = "ok";
        try {
            ScanHarness.feed(stream, chunking, false, (buffer, offset) -> {
                recorder.buffer = buffer;
                recorder.streamOffset = offset;
                scanner.scan(buffer);
            });
        } catch (ProtocolException e) {
            end = "failed: " + e.getMessage();
            // Failed for good: a well-formed message afterwards is refused too.
            final String again = end;
            assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> scanner.scan(Unpooled.wrappedBuffer(Messages.sync())))).hasMessage(e.getMessage());
            end = again;
        }
        return strip(recorder.events) + " " + end + " after " + scanner.messageCount();
    }

    private static List<String> strip(List<String> events) {
        return events.stream().map(e -> e.replaceAll("(?s)@.*$", "")).toList();
    }

    /** Reads whose sizes cycle through {@code readSizes}. */
    private static Chunking chunking(int length, List<Integer> readSizes) {
        final TreeSet<Integer> cuts = new TreeSet<>();
        int offset = 0;
        for (int i = 0; ; i++) {
            offset += readSizes.get(i % readSizes.size());
            if (offset >= length) {
                break;
            }
            cuts.add(offset);
        }
        return Chunking.at(length, cuts.stream().mapToInt(Integer::intValue).toArray());
    }

    // --- generators ----------------------------------------------------------------------

    @Provide
    Arbitrary<byte[]> backendMessages() {
        return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, Arbitraries.of('I', 'T', 'E').map(Messages::readyForQuery)),
            net.jqwik.api.Tuple.of(3, errorBodies().map(body -> message('E', body))),
            net.jqwik.api.Tuple.of(1, errorBodies().map(body -> message('N', body))),
            net.jqwik.api.Tuple.of(2, Combinators.combine(text(), text()).as(Messages::parameterStatus)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().map(key -> Messages.backendKeyData(key, ~key))),
            net.jqwik.api.Tuple.of(1, Combinators.combine(Arbitraries.of('G', 'H', 'W'), Arbitraries.integers().between(0, 5))
                .as(Messages::copyResponse)),
            net.jqwik.api.Tuple.of(1, Combinators.combine(text(), text()).as((channel, payload) ->
                Messages.notificationResponse(1, channel, payload))),
            net.jqwik.api.Tuple.of(6, bodies(300).map(body -> message('D', body))),
            net.jqwik.api.Tuple.of(2, bodies(3000).map(body -> message('d', body))),
            net.jqwik.api.Tuple.of(3, text().map(Messages::commandComplete)),
            net.jqwik.api.Tuple.of(2, Combinators.combine(Arbitraries.of('1', '2', '3', 'C', 'I', 'n', 's', 't', 'T', 'v', 'c', 'V'), bodies(100))
                .as(Messages::message)));
    }

    @Provide
    Arbitrary<byte[]> frontendMessages() {
        return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, text().map(Messages::query)),
            net.jqwik.api.Tuple.of(3, Combinators.combine(text(), text()).as(Messages::parse)),
            net.jqwik.api.Tuple.of(3, Combinators.combine(text(), text(), text()).as((portal, statement, value) ->
                Messages.bind(portal, statement, value))),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().map(Messages::functionCall)),
            net.jqwik.api.Tuple.of(3, Arbitraries.just(Messages.sync())),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(Messages.terminate())),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(Messages.copyDone())),
            net.jqwik.api.Tuple.of(1, text().map(Messages::copyFail)),
            net.jqwik.api.Tuple.of(4, bodies(3000).map(body -> message('d', body))),
            net.jqwik.api.Tuple.of(2, Combinators.combine(Arbitraries.of('D', 'E', 'H', 'C', 'p'), bodies(100))
                .as(Messages::message)));
    }

    /** Mostly well-formed headers with some garbage, so both the happy and the failing paths run. */
    @Provide
    Arbitrary<byte[]> noise() {
        final Arbitrary<byte[]> plausible = Combinators.combine(
                Arbitraries.of('Z', 'E', 'S', 'K', 'A', 'G', 'H', 'W', 'D', 'd', 'Q', 'P', 'B', 'X', 'c', 'f'),
                Arbitraries.integers().between(-2, 80).injectDuplicates(0.1),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(80))
            .as((type, length, body) -> concat(new byte[] {(byte) type.charValue()}, Messages.int32(length), body));
        final Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        return Arbitraries.oneOf(plausible, raw).list().ofMaxSize(10)
            .map(parts -> concat(parts.toArray(byte[][]::new)));
    }

    private static Arbitrary<String> text() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars(' ', '=', '_', 'é', '✓').ofMaxLength(30);
    }

    private static Arbitrary<byte[]> bodies(int maxSize) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxSize);
    }

    /** ErrorResponse bodies: realistic fields, odd fields, duplicates, a missing terminator, junk after it. */
    private static Arbitrary<byte[]> errorBodies() {
        final Arbitrary<String> values = Arbitraries.oneOf(
            Arbitraries.of("ERROR", "FATAL", "PANIC", "WARNING", "ERRO", "ERRORS", "ОШИБКА", "",
                "57P01", "08P01", "42p01", "4260", "XX000", "123456", "57P0"),
            text());
        final Arbitrary<byte[]> field = Combinators.combine(
                Arbitraries.oneOf(Arbitraries.of('S', 'V', 'C', 'M', 'D', 'H', 'P', 'F', 'L', 'R'), Arbitraries.chars().range('\u0001', '\u00FF')),
                values)
            .as((type, value) -> concat(new byte[] {(byte) type.charValue()}, value.getBytes(StandardCharsets.UTF_8), new byte[] {0}));
        return Combinators.combine(
                field.list().ofMaxSize(8),
                Arbitraries.of(0, 0, 0, 1, 2),
                bodies(10))
            .as((fields, ending, junk) -> {
                final List<byte[]> parts = new ArrayList<>(fields);
                if (ending == 1) {
                    // terminator, then junk the scanner must skip
                    parts.add(new byte[] {0});
                    parts.add(junk);
                } else if (ending == 2) {
                    // no terminator, and the last field cut short
                    final byte[] all = concat(parts.toArray(byte[][]::new));
                    return all.length == 0 ? all : java.util.Arrays.copyOf(all, all.length - 1);
                } else {
                    parts.add(new byte[] {0});
                }
                return concat(parts.toArray(byte[][]::new));
            });
    }
}
