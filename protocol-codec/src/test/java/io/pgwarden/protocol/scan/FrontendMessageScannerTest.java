package io.pgwarden.protocol.scan;

import static io.pgwarden.protocol.scan.Messages.bind;
import static io.pgwarden.protocol.scan.Messages.concat;
import static io.pgwarden.protocol.scan.Messages.copyData;
import static io.pgwarden.protocol.scan.Messages.copyDone;
import static io.pgwarden.protocol.scan.Messages.copyFail;
import static io.pgwarden.protocol.scan.Messages.describe;
import static io.pgwarden.protocol.scan.Messages.execute;
import static io.pgwarden.protocol.scan.Messages.flush;
import static io.pgwarden.protocol.scan.Messages.functionCall;
import static io.pgwarden.protocol.scan.Messages.parse;
import static io.pgwarden.protocol.scan.Messages.query;
import static io.pgwarden.protocol.scan.Messages.sync;
import static io.pgwarden.protocol.scan.Messages.terminate;
import static io.pgwarden.protocol.scan.ScanHarness.expectedFrontend;
import static io.pgwarden.protocol.scan.ScanHarness.scanFrontend;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.pgwarden.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrontendMessageScannerTest {

    /** What pgjdbc and psql send after authentication: simple and extended queries, a COPY. */
    static byte[] sessionStream() {
        return concat(
            query("SELECT 1"),
            parse("", "SELECT * FROM accounts WHERE id = $1"), bind("", "", "42"),
            describe('P', ""), execute("", 0), sync(),
            parse("S_1", "UPDATE accounts SET balance = balance - $1 WHERE id = $2"),
            bind("", "S_1", "100", "42"), execute("", 1), flush(),
            bind("", "S_1", "100", "43"), execute("", 1), sync(),
            query("COPY accounts FROM STDIN"),
            copyData("1\talice\n".getBytes(StandardCharsets.US_ASCII)),
            copyData("2\tbob\n".getBytes(StandardCharsets.US_ASCII)),
            copyDone(),
            query("COPY accounts FROM STDIN"),
            copyFail("aborted by user"),
            functionCall(1598),
            terminate());
    }

    @Test
    void reportsTrackedMessagesOfAWholeStreamWithTheirOffsets() {
        final byte[] stream = sessionStream();
        final List<String> events = scanFrontend(stream, Chunking.whole(stream.length));
        assertThat(events).containsExactly(
            "Query@0", "Parse@" + query("SELECT 1").length, events.get(2), "Sync",
            events.get(4), events.get(5), events.get(6), "Sync",
            events.get(8), "CopyDone", events.get(10), "CopyFail", events.get(12), "Terminate");
        assertThat(events.get(2)).startsWith("Bind@");
        assertThat(events.get(4)).startsWith("Parse@");
        assertThat(events.get(5)).startsWith("Bind@");
        assertThat(events.get(6)).startsWith("Bind@");
        assertThat(events.get(8)).startsWith("Query@");
        assertThat(events.get(10)).startsWith("Query@");
        assertThat(events.get(12)).startsWith("FunctionCall@");
        assertThat(events).isEqualTo(expectedFrontend(stream, Chunking.whole(stream.length)));
    }

    @Test
    void everyTwoWaySplitReportsTheSameAsTheReference() {
        final byte[] stream = sessionStream();
        for (int cut = 1; cut < stream.length; cut++) {
            final Chunking chunking = Chunking.at(stream.length, cut);
            assertThat(scanFrontend(stream, chunking)).as("split at %d", cut)
                .isEqualTo(expectedFrontend(stream, chunking));
        }
    }

    @Test
    void oneByteReadsReportStartsWithoutAnIndex() {
        final byte[] stream = sessionStream();
        final Chunking chunking = Chunking.oneByte(stream.length);
        final List<String> events = scanFrontend(stream, chunking);
        assertThat(events).isEqualTo(expectedFrontend(stream, chunking));
        assertThat(events).contains("Query@-", "Parse@-", "Bind@-", "FunctionCall@-");
    }

    @Test
    void randomReadsReportTheSameAsTheReference() {
        final byte[] stream = sessionStream();
        final Random random = new Random(7);
        for (int run = 0; run < 500; run++) {
            final Chunking chunking = Chunking.random(stream.length, random, 1 + random.nextInt(40));
            assertThat(scanFrontend(stream, chunking)).as("%s", chunking).isEqualTo(expectedFrontend(stream, chunking));
        }
    }

    @Test
    void oneMegabyteCopyDataFromTheClientIsSkipped() {
        final byte[] data = new byte[1024 * 1024];
        new Random(3).nextBytes(data);
        final byte[] stream = concat(query("COPY t FROM STDIN"), copyData(data), copyDone(), sync());
        final Random random = new Random(4);
        for (Chunking chunking : List.of(Chunking.whole(stream.length), Chunking.oneByte(stream.length),
                Chunking.at(stream.length, stream.length - 7), Chunking.random(stream.length, random, 100_000))) {
            final List<String> events = scanFrontend(stream, chunking);
            assertThat(events).as("%s", chunking).isEqualTo(expectedFrontend(stream, chunking));
            assertThat(events).as("%s", chunking).containsExactly(events.get(0), "CopyDone", "Sync");
            assertThat(events.get(0)).isIn("Query@0", "Query@-");
        }
    }

    @Test
    void oversizedClientMessageIsAProtocolViolation() {
        final FrontendMessageScanner scanner = new FrontendMessageScanner(1 << 20, new FrontendMessageListener() { });
        final byte[] header = concat(new byte[] {'Q'}, Messages.int32((1 << 20) + 1));
        scanner.scan(Unpooled.wrappedBuffer(header, 0, 2));
        assertThatThrownBy(() -> scanner.scan(Unpooled.wrappedBuffer(header, 2, 3)))
            .isInstanceOf(ProtocolException.class)
            .hasMessageContaining("'Q'")
            .hasMessageContaining(Integer.toString((1 << 20) + 1));
        assertThat(scanner.failed()).isTrue();
        assertThatThrownBy(() -> scanner.scan(Unpooled.wrappedBuffer(sync()))).isInstanceOf(ProtocolException.class);
    }
}
