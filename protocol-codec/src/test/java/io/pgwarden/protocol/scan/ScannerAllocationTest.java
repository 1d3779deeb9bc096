package io.pgwarden.protocol.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Proves the "never allocates" part of the scanner contract with the JVM's per-thread
 * allocation counter: scanning thousands of messages, split at awkward places, must allocate
 * (next to) nothing, where a single object per message would show up as megabytes.
 */
class ScannerAllocationTest {

    private static final int ROUNDS = 2_000;

    @Test
    void backendScanAllocatesNothingPerMessage() {
        final byte[] stream = BackendMessageScannerTest.sessionStream();
        final CountingBackendListener listener = new CountingBackendListener();
        final BackendMessageScanner scanner = new BackendMessageScanner(1 << 20, listener);
        final ByteBuf buffer = directBufferWithoutLeakTracking(stream);
        try {
            final long bytes = allocatedWhile(() -> scanInThreeReads(scanner, buffer));
            assertThat(listener.events).isEqualTo(2L * ROUNDS * 16);
            assertThat(scanner.messageCount()).isGreaterThan(100_000);
            assertThat(bytes).as("bytes allocated while scanning %d messages", scanner.messageCount())
                .isLessThan(64 * 1024);
        } finally {
            buffer.release();
        }
    }

    @Test
    void frontendScanAllocatesNothingPerMessage() {
        final byte[] stream = FrontendMessageScannerTest.sessionStream();
        final FrontendMessageScanner scanner = new FrontendMessageScanner(1 << 20, new FrontendMessageListener() { });
        final ByteBuf buffer = directBufferWithoutLeakTracking(stream);
        try {
            final long bytes = allocatedWhile(() -> scanInThreeReads(scanner, buffer));
            assertThat(scanner.messageCount()).isGreaterThan(50_000);
            assertThat(bytes).isLessThan(64 * 1024);
        } finally {
            buffer.release();
        }
    }

    /** Scans the whole buffer ROUNDS times, each time cut inside a header and inside a body. */
    private static void scanInThreeReads(MessageScanner scanner, ByteBuf buffer) {
        final int end = buffer.writerIndex();
        final int firstCut = 3;
        final int secondCut = end / 2 + 1;
        for (int round = 0; round < ROUNDS; round++) {
            buffer.setIndex(0, firstCut);
            scanner.scan(buffer);
            buffer.setIndex(firstCut, secondCut);
            scanner.scan(buffer);
            buffer.setIndex(secondCut, end);
            scanner.scan(buffer);
        }
        buffer.setIndex(0, end);
    }

    /**
     * With paranoid leak detection every read of a tracked buffer records a trace, which
     * allocates; a wrapped NIO buffer is not tracked.
     */
    private static ByteBuf directBufferWithoutLeakTracking(byte[] bytes) {
        return Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(bytes.length).put(bytes).flip());
    }

    private static long allocatedWhile(Runnable work) {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "allocation counter available");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        final long thread = Thread.currentThread().getId();
        work.run(); // warm-up: class loading and the first compilations may allocate
        final long before = threads.getThreadAllocatedBytes(thread);
        work.run();
        return threads.getThreadAllocatedBytes(thread) - before;
    }

    private static final class CountingBackendListener implements BackendMessageListener {
        long events;

        @Override
        public void readyForQuery(byte transactionStatus) {
            events++;
        }

        @Override
        public void errorResponse(ErrorSeverity severity, int sqlState) {
            events++;
        }

        @Override
        public void parameterStatus(int messageIndex) {
            events++;
        }

        @Override
        public void backendKeyData() {
            events++;
        }

        @Override
        public void copyResponse(byte type) {
            events++;
        }

        @Override
        public void notificationResponse() {
            events++;
        }
    }
}
