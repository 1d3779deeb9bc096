package io.pgwarden.protocol.scan;

import static io.pgwarden.protocol.scan.Messages.backendKeyData;
import static io.pgwarden.protocol.scan.Messages.commandComplete;
import static io.pgwarden.protocol.scan.Messages.concat;
import static io.pgwarden.protocol.scan.Messages.copyData;
import static io.pgwarden.protocol.scan.Messages.copyDone;
import static io.pgwarden.protocol.scan.Messages.copyResponse;
import static io.pgwarden.protocol.scan.Messages.dataRow;
import static io.pgwarden.protocol.scan.Messages.errorResponse;
import static io.pgwarden.protocol.scan.Messages.message;
import static io.pgwarden.protocol.scan.Messages.noticeResponse;
import static io.pgwarden.protocol.scan.Messages.notificationResponse;
import static io.pgwarden.protocol.scan.Messages.parameterStatus;
import static io.pgwarden.protocol.scan.Messages.readyForQuery;
import static io.pgwarden.protocol.scan.Messages.rowDescription;
import static io.pgwarden.protocol.scan.ScanHarness.expectedBackend;
import static io.pgwarden.protocol.scan.ScanHarness.scanBackend;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pgwarden.protocol.ProtocolException;
import io.pgwarden.protocol.SqlState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackendMessageScannerTest {

    /** A psql session after authentication: queries, an error, a SET, a notification, a COPY. */
    static byte[] sessionStream() {
        final List<byte[]> parts = new ArrayList<>();
        parts.add(rowDescription("id", "name", "created"));
        for (int i = 0; i < 20; i++) {
            parts.add(dataRow(("" + i).getBytes(StandardCharsets.US_ASCII), ("row " + i).getBytes(StandardCharsets.US_ASCII), null));
        }
        parts.add(commandComplete("SELECT 20"));
        parts.add(readyForQuery('I'));
        parts.add(commandComplete("BEGIN"));
        parts.add(readyForQuery('T'));
        parts.add(noticeResponse("S", "WARNING", "V", "WARNING", "C", "01000", "M", "careful"));
        parts.add(errorResponse("S", "ERROR", "V", "ERROR", "C", "42P01",
            "M", "relation \"missing\" does not exist", "P", "15", "F", "parse_relation.c", "L", "1392",
            "R", "parserOpenTable"));
        parts.add(readyForQuery('E'));
        parts.add(commandComplete("ROLLBACK"));
        parts.add(readyForQuery('I'));
        parts.add(commandComplete("SET"));
        parts.add(parameterStatus("application_name", "reporting"));
        parts.add(readyForQuery('I'));
        parts.add(notificationResponse(4711, "jobs", "{\"id\": 1}"));
        parts.add(copyResponse('H', 2));
        for (int i = 0; i < 5; i++) {
            parts.add(copyData(("line " + i + "\tvalue\n").getBytes(StandardCharsets.US_ASCII)));
        }
        parts.add(copyDone());
        parts.add(commandComplete("COPY 5"));
        parts.add(readyForQuery('I'));
        parts.add(copyResponse('G', 1));
        parts.add(commandComplete("COPY 0"));
        parts.add(readyForQuery('I'));
        parts.add(copyResponse('W', 0));
        parts.add(backendKeyData(77, 1234));
        parts.add(parameterStatus("in_hot_standby", "off"));
        parts.add(errorResponse("S", "FATAL", "V", "FATAL", "C", "57P01",
            "M", "terminating connection due to administrator command"));
        return concat(parts.toArray(byte[][]::new));
    }

    @Test
    void reportsTrackedMessagesOfAWholeStreamInOrder() {
        final byte[] stream = sessionStream();
        final List<String> events = scanBackend(stream, Chunking.whole(stream.length));

        assertThat(withoutIndices(events)).containsExactly(
            "ReadyForQuery I", "ReadyForQuery T", "ErrorResponse ERROR 42P01", "ReadyForQuery E",
            "ReadyForQuery I", "ParameterStatus", "ReadyForQuery I", "NotificationResponse",
            "CopyResponse H", "ReadyForQuery I", "CopyResponse G", "ReadyForQuery I", "CopyResponse W",
            "BackendKeyData", "ParameterStatus", "ErrorResponse FATAL 57P01");
        assertThat(events.get(5)).matches("ParameterStatus@\\d+ application_name=reporting");
        assertThat(events.get(14)).matches("ParameterStatus@\\d+ in_hot_standby=off");
        assertThat(events).isEqualTo(expectedBackend(stream, Chunking.whole(stream.length)));
    }

    @Test
    void everyTwoWaySplitReportsTheSameAsTheReference() {
        final byte[] stream = sessionStream();
        final List<String> oneShot = scanBackend(stream, Chunking.whole(stream.length));
        for (int cut = 1; cut < stream.length; cut++) {
            final Chunking chunking = Chunking.at(stream.length, cut);
            final List<String> events = scanBackend(stream, chunking);
            assertThat(events).as("split at %d", cut).isEqualTo(expectedBackend(stream, chunking));
            assertThat(withoutIndices(events)).as("split at %d", cut).isEqualTo(withoutIndices(oneShot));
        }
    }

    @Test
    void oneByteReadsReportTheSameAsTheReference() {
        final byte[] stream = sessionStream();
        final Chunking chunking = Chunking.oneByte(stream.length);
        final List<String> events = scanBackend(stream, chunking);
        assertThat(events).isEqualTo(expectedBackend(stream, chunking));
        assertThat(events).contains("ErrorResponse FATAL 57P01", "ParameterStatus@-");
    }

    @Test
    void randomReadsReportTheSameAsTheReference() {
        final byte[] stream = sessionStream();
        final Random random = new Random(20240611);
        for (int run = 0; run < 500; run++) {
            final Chunking chunking = Chunking.random(stream.length, random, 1 + random.nextInt(64));
            assertThat(scanBackend(stream, chunking, run % 10 == 0)).as("%s", chunking)
                .isEqualTo(expectedBackend(stream, chunking));
        }
    }

    @Test
    void oneMegabyteCopyDataIsSkippedAtAnySplit() {
        final byte[] data = new byte[1024 * 1024];
        new Random(1).nextBytes(data);
        final byte[] stream = concat(copyResponse('H', 1), copyData(data), copyDone(),
            commandComplete("COPY 1"), readyForQuery('I'));
        final List<String> expected = List.of("CopyResponse H", "ReadyForQuery I");

        assertThat(scanBackend(stream, Chunking.whole(stream.length))).isEqualTo(expected);
        assertThat(scanBackend(stream, Chunking.oneByte(stream.length))).isEqualTo(expected);
        final int copyDataStart = copyResponse('H', 1).length;
        final int copyDataEnd = copyDataStart + 5 + data.length;
        final List<Integer> cuts = new ArrayList<>();
        for (int delta = -8; delta <= 8; delta++) {
            cuts.add(copyDataStart + delta);
            cuts.add(copyDataEnd + delta);
        }
        for (int cut = 1; cut < 40; cut++) {
            cuts.add(stream.length - cut);
        }
        final Random random = new Random(2);
        for (int i = 0; i < 50; i++) {
            cuts.add(1 + random.nextInt(stream.length - 1));
        }
        for (int cut : cuts) {
            assertThat(scanBackend(stream, Chunking.at(stream.length, cut))).as("split at %d", cut).isEqualTo(expected);
        }
        assertThat(scanBackend(stream, Chunking.random(stream.length, random, 70_000), true)).isEqualTo(expected);
    }

    @Test
    void errorResponseFieldsSplitInsideTheSqlStateAreReassembled() {
        final byte[] error = errorResponse("S", "FATAL", "V", "FATAL", "C", "57P03", "M", "the database system is starting up");
        final int sqlStateOffset = indexOf(error, "57P03");
        for (int cut = sqlStateOffset - 1; cut <= sqlStateOffset + 5; cut++) {
            assertThat(scanBackend(error, Chunking.at(error.length, cut)))
                .containsExactly("ErrorResponse FATAL 57P03");
        }
    }

    @Test
    void severityComesFromTheNonLocalizedFieldWhenPresent() {
        final byte[] localizedOnly = errorResponse("S", "FATAL", "C", "28P01", "M", "password authentication failed");
        final byte[] translated = errorResponse("S", "FATAL", "V", "FATAL", "C", "28P01");
        final byte[] translatedWithoutV = concat(message('E', concat(new byte[] {'S'},
            Messages.cstring("ОШИБКА"), new byte[] {'C'}, Messages.cstring("42601"), new byte[] {0})));
        final byte[] panic = errorResponse("V", "PANIC", "S", "PANIK", "C", "XX000");

        assertThat(scanBackend(localizedOnly, Chunking.whole(localizedOnly.length))).containsExactly("ErrorResponse FATAL 28P01");
        assertThat(scanBackend(translated, Chunking.whole(translated.length))).containsExactly("ErrorResponse FATAL 28P01");
        assertThat(scanBackend(translatedWithoutV, Chunking.whole(translatedWithoutV.length)))
            .containsExactly("ErrorResponse UNKNOWN 42601");
        assertThat(scanBackend(panic, Chunking.whole(panic.length))).containsExactly("ErrorResponse PANIC XX000");
    }

    @Test
    void missingOrMalformedErrorFieldsAreTolerated() {
        final byte[] stream = concat(
            errorResponse("M", "no severity, no code"),
            errorResponse("S", "ERROR", "C", "4260"),
            errorResponse("S", "ERROR", "C", "42601X"),
            errorResponse("S", "ERROR", "C", "42p01"),
            message('E', new byte[0]),
            // the body ends inside the C field: no terminator
            message('E', concat(new byte[] {'S'}, Messages.cstring("ERROR"), new byte[] {'C', '4', '2'})),
            // junk after the terminator is skipped
            message('E', concat(Messages.fields("V", "ERROR", "C", "22012"), "junk\0C57P01\0".getBytes(StandardCharsets.US_ASCII))),
            readyForQuery('I'));
        final List<String> expected = List.of(
            "ErrorResponse UNKNOWN null",
            "ErrorResponse ERROR null",
            "ErrorResponse ERROR null",
            "ErrorResponse ERROR null",
            "ErrorResponse UNKNOWN null",
            "ErrorResponse ERROR null",
            "ErrorResponse ERROR 22012",
            "ReadyForQuery I");
        assertThat(scanBackend(stream, Chunking.whole(stream.length))).isEqualTo(expected);
        assertThat(scanBackend(stream, Chunking.oneByte(stream.length))).isEqualTo(expected);
        assertThat(expectedBackend(stream, Chunking.whole(stream.length))).isEqualTo(expected);
    }

    @Test
    void fieldTypesWithTheHighBitSetAreSkippedLikeAnyUnknownField() {
        for (int type = 0x80; type <= 0xFF; type++) {
            final byte[] error = message('E', concat(
                new byte[] {(byte) type}, Messages.cstring("x"),
                Messages.fields("V", "ERROR", "C", "22012")));
            assertThat(scanBackend(error, Chunking.whole(error.length))).as("field type 0x%02X", type)
                .containsExactly("ErrorResponse ERROR 22012");
            assertThat(scanBackend(error, Chunking.oneByte(error.length))).as("field type 0x%02X", type)
                .containsExactly("ErrorResponse ERROR 22012");
        }
    }

    @Test
    void parameterStatusIndexPointsIntoTheBufferOnlyWhenTheMessageIsWhole() {
        final byte[] stream = concat(readyForQuery('I'), parameterStatus("TimeZone", "UTC"));
        final int start = readyForQuery('I').length;
        final int end = stream.length;

        assertThat(scanBackend(stream, Chunking.at(end, start))).containsExactly("ReadyForQuery I", "ParameterStatus@" + start + " TimeZone=UTC");
        assertThat(scanBackend(stream, Chunking.at(end, start + 1))).containsExactly("ReadyForQuery I", "ParameterStatus@-");
        assertThat(scanBackend(stream, Chunking.at(end, end - 1))).containsExactly("ReadyForQuery I", "ParameterStatus@-");
    }

    @Test
    void transactionStatusCanBePolledAfterEachRead() {
        final BackendMessageScanner scanner = new BackendMessageScanner(1024, new BackendMessageListener() { });
        assertThat(scanner.transactionStatus()).isZero();
        final byte[] stream = concat(commandComplete("BEGIN"), readyForQuery('T'), commandComplete("COMMIT"), readyForQuery('I'));
        final int firstEnd = commandComplete("BEGIN").length + 5;
        final ByteBuf buffer = Unpooled.wrappedBuffer(stream);

        buffer.setIndex(0, firstEnd + 1);   // ReadyForQuery 'T' complete
        scanner.scan(buffer);
        assertThat(scanner.transactionStatus()).isEqualTo((byte) 'T');
        assertThat(scanner.atMessageBoundary()).isTrue();

        buffer.setIndex(firstEnd + 1, stream.length - 1); // the last status byte still missing
        scanner.scan(buffer);
        assertThat(scanner.transactionStatus()).isEqualTo((byte) 'T');
        assertThat(scanner.atMessageBoundary()).isFalse();

        buffer.setIndex(stream.length - 1, stream.length);
        scanner.scan(buffer);
        assertThat(scanner.transactionStatus()).isEqualTo((byte) 'I');
        assertThat(scanner.atMessageBoundary()).isTrue();
        assertThat(scanner.messageCount()).isEqualTo(4);
    }

    @Test
    void emptyBufferChangesNothing() {
        final BackendMessageScanner scanner = new BackendMessageScanner(1024, new BackendMessageListener() { });
        scanner.scan(Unpooled.EMPTY_BUFFER);
        assertThat(scanner.messageCount()).isZero();
        assertThat(scanner.atMessageBoundary()).isTrue();
    }

    @Test
    void lengthBelowFourIsAProtocolViolationNamingTypeAndLength() {
        for (int length : new int[] {3, 0, -1, Integer.MIN_VALUE}) {
            final byte[] stream = concat(readyForQuery('I'), new byte[] {'D'}, Messages.int32(length), new byte[8]);
            for (Chunking chunking : List.of(Chunking.whole(stream.length), Chunking.oneByte(stream.length))) {
                final BackendMessageScanner scanner = new BackendMessageScanner(1 << 20, new BackendMessageListener() { });
                assertThatThrownBy(() -> ScanHarness.feed(stream, chunking, false, (buffer, offset) -> scanner.scan(buffer)))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("'D'")
                    .hasMessageContaining(Integer.toUnsignedString(length))
                    .satisfies(e -> assertThat(((ProtocolException) e).sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION));
            }
        }
    }

    @Test
    void lengthAboveTheMaximumIsAProtocolViolationAndTheScannerStaysFailed() {
        final int max = 1000;
        final BackendMessageScanner scanner = new BackendMessageScanner(max, new BackendMessageListener() { });
        final ByteBuf accepted = Unpooled.wrappedBuffer(concat(new byte[] {'d'}, Messages.int32(max), new byte[max - 4]));
        scanner.scan(accepted);
        assertThat(scanner.atMessageBoundary()).isTrue();

        final ByteBuf tooLong = Unpooled.wrappedBuffer(concat(new byte[] {'d'}, Messages.int32(max + 1)));
        final Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> scanner.scan(tooLong));
        assertThat(failure).isInstanceOf(ProtocolException.class).hasMessageContaining("'d'").hasMessageContaining("1001");
        assertThat(scanner.failed()).isTrue();

        final ByteBuf fine = Unpooled.wrappedBuffer(readyForQuery('I'));
        assertThatThrownBy(() -> scanner.scan(fine)).isSameAs(failure);
        assertThat(tooLong.readerIndex()).isZero();
    }

    @Test
    void readyForQueryMustHaveOneValidStatusByte() {
        final byte[] tooLong = message('Z', new byte[] {'I', 'I'});
        final byte[] empty = message('Z', new byte[0]);
        final byte[] badStatus = readyForQuery('X');
        for (byte[] stream : List.of(tooLong, empty, badStatus)) {
            final BackendMessageScanner scanner = new BackendMessageScanner(1024, new BackendMessageListener() { });
            assertThatThrownBy(() -> scanner.scan(Unpooled.wrappedBuffer(stream)))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("ReadyForQuery");
        }
    }

    @Test
    void unprintableTypeBytesAreNamedInHex() {
        final BackendMessageScanner scanner = new BackendMessageScanner(1024, new BackendMessageListener() { });
        assertThatThrownBy(() -> scanner.scan(Unpooled.wrappedBuffer(new byte[] {0x01, 0, 0, 0, 2})))
            .isInstanceOf(ProtocolException.class)
            .hasMessageContaining("0x01");
    }

    @Test
    void rejectsAMaximumBelowTheSmallestMessage() {
        assertThatThrownBy(() -> new BackendMessageScanner(3, new BackendMessageListener() { }))
            .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> withoutIndices(List<String> events) {
        return events.stream().map(e -> e.replaceAll("(?s)@.*$", "")).toList();
    }

    private static int indexOf(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).indexOf(needle);
    }
}
