package io.pgwarden.bench.scan;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.pgwarden.bench.traffic.BackendTraffic;
import io.pgwarden.bench.traffic.Streams;
import io.pgwarden.protocol.scan.BackendMessageListener;
import io.pgwarden.protocol.scan.BackendMessageScanner;
import io.pgwarden.protocol.scan.ErrorSeverity;
import io.pgwarden.protocol.scan.FrontendMessageListener;
import io.pgwarden.protocol.scan.FrontendMessageScanner;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of the in-place scanner on the forwarding hot path, one thread (one core).
 *
 * <p>One operation scans a whole stream of about 4 MB held in a pooled direct buffer, as the
 * proxy receives it: in reads of {@code readSize} bytes, cut without regard to message
 * boundaries, so messages straddle reads as they do on a socket. The auxiliary counters
 * {@code bytes} and {@code messages} are reported as rates: {@code bytes} in bytes per second
 * is the scanner's throughput per core. With {@code -prof gc}, {@code gc.alloc.rate.norm} is
 * the allocation per operation, which must be about 0 B/op.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled"})
public class ScannerBenchmark {

    private static final int STREAM_BYTES = 4 << 20;
    private static final int MAX_MESSAGE_LENGTH = 1 << 30;

    /** A relayed stream in a direct buffer, with a scanner that has seen everything before it. */
    @State(Scope.Thread)
    public static class BackendRelay implements BackendMessageListener {
        @Param({"SMALL", "DATA_ROWS", "COPY_DATA"})
        BackendTraffic traffic;

        @Param({"1460", "65536"})
        int readSize;

        ByteBuf stream;
        long messagesPerStream;
        BackendMessageScanner scanner;
        long tracked;

        @Setup(Level.Trial)
        public void setUp() {
            final byte[] bytes = Streams.backend(traffic, STREAM_BYTES);
            stream = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
            messagesPerStream = Streams.countMessages(bytes);
            scanner = new BackendMessageScanner(MAX_MESSAGE_LENGTH, this);
        }

        @TearDown(Level.Trial)
        public void release() {
            stream.release();
        }

        @Override
        public void readyForQuery(byte transactionStatus) {
            tracked += transactionStatus;
        }

        @Override
        public void errorResponse(ErrorSeverity severity, int sqlState) {
            tracked += sqlState;
        }

        @Override
        public void parameterStatus(int messageIndex) {
            tracked++;
        }
    }

    @State(Scope.Thread)
    public static class FrontendRelay implements FrontendMessageListener {
        @Param({"1460", "65536"})
        int readSize;

        ByteBuf stream;
        long messagesPerStream;
        FrontendMessageScanner scanner;
        long tracked;

        @Setup(Level.Trial)
        public void setUp() {
            final byte[] bytes = Streams.frontendExtended(STREAM_BYTES);
            stream = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
            messagesPerStream = Streams.countMessages(bytes);
            scanner = new FrontendMessageScanner(MAX_MESSAGE_LENGTH, this);
        }

        @TearDown(Level.Trial)
        public void release() {
            stream.release();
        }

        @Override
        public void parse(int messageIndex) {
            tracked++;
        }

        @Override
        public void bind(int messageIndex) {
            tracked++;
        }

        @Override
        public void sync() {
            tracked++;
        }
    }

    /** Bytes and messages scanned, reported by JMH as rates next to the operation rate. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Scanned {
        public long bytes;
        public long messages;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
            messages = 0;
        }
    }

    @Benchmark
    public void backendToClient(BackendRelay relay, Scanned scanned, Blackhole blackhole) {
        final ByteBuf stream = relay.stream;
        final int end = stream.capacity();
        final int readSize = relay.readSize;
        for (int start = 0; start < end; start += readSize) {
            stream.setIndex(start, Math.min(end, start + readSize));
            relay.scanner.scan(stream);
        }
        scanned.bytes += end;
        scanned.messages += relay.messagesPerStream;
        blackhole.consume(relay.tracked);
    }

    @Benchmark
    public void clientToBackend(FrontendRelay relay, Scanned scanned, Blackhole blackhole) {
        final ByteBuf stream = relay.stream;
        final int end = stream.capacity();
        final int readSize = relay.readSize;
        for (int start = 0; start < end; start += readSize) {
            stream.setIndex(start, Math.min(end, start + readSize));
            relay.scanner.scan(stream);
        }
        scanned.bytes += end;
        scanned.messages += relay.messagesPerStream;
        blackhole.consume(relay.tracked);
    }
}
