package io.pgwarden.bench.forward;

import io.pgwarden.bench.traffic.BackendTraffic;
import io.pgwarden.bench.traffic.Streams;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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

/**
 * Throughput of session forwarding, the proxy's hot path, on one thread (one core): buffers
 * read from one socket go through the relay to the other, between two EmbeddedChannels (see
 * {@link RelayedConnection}). Every benchmark runs with {@code relay=PGWARDEN} (a real client
 * session with its relay handlers) and {@code relay=PASS_THROUGH} (the least a Netty relay does
 * on the same channels); the difference is the proxy's own cost.
 *
 * <p>{@code backendToClient} and {@code clientToBackend} relay a stream of about 256 kB per
 * operation in reads of {@code readSize} bytes, cut without regard to message boundaries as the
 * scanner benchmark cuts its streams. {@code exchange} is one round trip per operation: a
 * pgbench select-only request in the prepared protocol in one read, its answer in one read.
 * Every operation checks that every byte arrived and every iteration that the relay is still
 * open, so a relay that gave up is never measured.
 *
 * <p>The auxiliary counters {@code bytes}, {@code messages} and {@code cpuNanos} are reported
 * as rates (see {@link Forwarded}). With {@code -prof gc}, {@code gc.alloc.rate.norm} is the
 * allocation per operation.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dio.netty.leakDetection.level=disabled"})
public class ForwardingBenchmark {

    /**
     * Small enough to stay in a core's L2 cache (half a megabyte and more on current x86 cores):
     * the bytes of a socket read were just copied there by the kernel, so the relay finds them
     * in cache, not in memory.
     */
    private static final int STREAM_BYTES = 256 << 10;

    /** One client connection through the relay. */
    @State(Scope.Thread)
    public static class Connection {
        @Param({"PGWARDEN", "PASS_THROUGH"})
        Relay relay;

        RelayedConnection connection;

        @Setup(Level.Trial)
        public void open() {
            connection = RelayedConnection.open(relay);
        }

        @TearDown(Level.Iteration)
        public void requireOpen() {
            connection.requireOpen();
        }

        @TearDown(Level.Trial)
        public void close() {
            connection.close();
        }
    }

    /** Server to client: result sets, or the small answers of a TPC-B-like transaction. */
    @State(Scope.Thread)
    public static class ServerStream {
        @Param({"SMALL", "DATA_ROWS"})
        BackendTraffic traffic;

        @Param({"1460", "65536"})
        int readSize;

        /** About how long one operation's stream is; tests shorten it. */
        int streamBytes = STREAM_BYTES;
        Reads reads;

        @Setup(Level.Trial)
        public void setUp() {
            reads = new Reads(Streams.backend(traffic, streamBytes), readSize);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            reads.close();
        }
    }

    /** Client to server: extended-protocol Bind / Execute / Sync, with Parse and Describe every tenth time. */
    @State(Scope.Thread)
    public static class ClientStream {
        @Param({"1460", "65536"})
        int readSize;

        /** About how long one operation's stream is; tests shorten it. */
        int streamBytes = STREAM_BYTES;
        Reads reads;

        @Setup(Level.Trial)
        public void setUp() {
            reads = new Reads(Streams.frontendExtended(streamBytes), readSize);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            reads.close();
        }
    }

    /**
     * One pgbench {@code -S -M prepared} transaction: Bind, Execute, Sync in one read;
     * BindComplete, DataRow, CommandComplete, ReadyForQuery in one read.
     */
    @State(Scope.Thread)
    public static class RoundTrip {
        Reads request;
        Reads reply;

        @Setup(Level.Trial)
        public void setUp() {
            byte[] requestBytes = Streams.preparedSelectRequest(73_512);
            byte[] replyBytes = Streams.preparedSelectReply(-2_375);
            request = new Reads(requestBytes, requestBytes.length);
            reply = new Reads(replyBytes, replyBytes.length);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            request.close();
            reply.close();
        }
    }

    /**
     * Bytes and messages relayed, and the CPU time the benchmark thread got, reported by JMH as
     * rates next to the operation rate. {@code cpuNanos} per second divided by 10^9 is the share
     * of a core the thread had: on a shared machine, dividing a rate by it gives the rate per
     * CPU-second, which other processes disturb much less than the rate per second.
     */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Forwarded {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

        public long bytes;
        public long messages;
        public long cpuNanos;
        private long cpuAtStart;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
            messages = 0;
            cpuNanos = 0;
            cpuAtStart = THREADS.getCurrentThreadCpuTime();
        }

        /** Runs after the measurement, before JMH reads the counters. */
        @TearDown(Level.Iteration)
        public void cpuTime() {
            cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuAtStart;
        }
    }

    @Benchmark
    public void backendToClient(Connection through, ServerStream stream, Forwarded forwarded) {
        final RelayedConnection connection = through.connection;
        final Reads reads = stream.reads;
        long delivered = 0;
        for (int i = 0, count = reads.count(); i < count; i++) {
            delivered += connection.serverSent(reads.read(i));
        }
        requireAll(reads, delivered);
        forwarded.bytes += delivered;
        forwarded.messages += reads.messages();
    }

    @Benchmark
    public void clientToBackend(Connection through, ClientStream stream, Forwarded forwarded) {
        final RelayedConnection connection = through.connection;
        final Reads reads = stream.reads;
        long delivered = 0;
        for (int i = 0, count = reads.count(); i < count; i++) {
            delivered += connection.clientSent(reads.read(i));
        }
        requireAll(reads, delivered);
        forwarded.bytes += delivered;
        forwarded.messages += reads.messages();
    }

    @Benchmark
    public void exchange(Connection through, RoundTrip roundTrip, Forwarded forwarded) {
        final RelayedConnection connection = through.connection;
        long delivered = connection.clientSent(roundTrip.request.read(0));
        requireAll(roundTrip.request, delivered);
        long answered = connection.serverSent(roundTrip.reply.read(0));
        requireAll(roundTrip.reply, answered);
        forwarded.bytes += delivered + answered;
        forwarded.messages += roundTrip.request.messages() + roundTrip.reply.messages();
    }

    /** A relay that dropped or held back bytes must not be measured. */
    private static void requireAll(Reads reads, long delivered) {
        if (delivered != reads.bytes()) {
            throw new IllegalStateException("the relay delivered " + delivered + " of " + reads.bytes() + " bytes");
        }
    }
}
