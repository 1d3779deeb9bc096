package io.pgwarden.proxy.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import io.pgwarden.cluster.ClusterSettings;
import io.pgwarden.cluster.junit.LocalClusterExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;

/**
 * A client that stops reading in the middle of a COPY TO STDOUT of several hundred MB must not
 * make the proxy buffer the stream: reading from the server pauses until the client drains.
 */
class SlowReaderBackpressureIT {

    @RegisterExtension
    static final LocalClusterExtension PG = new LocalClusterExtension(ClusterSettings.builder().standbys(0).build());

    private static final long ROWS = 2_500_000;
    /** Each row: a 7-digit number, a tab, 100 'x', a newline. */
    private static final long ROW_BYTES = 7 + 1 + 100 + 1;
    private static final long BOUND = 32L * 1024 * 1024;

    private static ProxyHarness proxy;

    @BeforeAll
    static void startProxy() {
        proxy = ProxyHarness.start(PG.cluster(), "");
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void proxyMemoryStaysBoundedWhileTheClientDoesNotRead() throws Exception {
        CountDownLatch firstRow = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        AtomicLong received = new AtomicLong();
        OutputStream pausingSink = new OutputStream() {
            @Override
            public void write(int b) {
                received.incrementAndGet();
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                if (received.getAndAdd(length) == 0) {
                    firstRow.countDown();
                    try {
                        resume.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(e);
                    }
                }
            }
        };
        long baseline = proxyBufferMemory();

        try (Connection connection = proxy.connect("rw")) {
            CompletableFuture<Long> copy = Background.supply(() -> {
                try {
                    return connection.unwrap(PGConnection.class).getCopyAPI().copyOut(
                            "COPY (SELECT 1000000 + i, repeat('x', 100) FROM generate_series(1, " + ROWS + ") i) TO STDOUT",
                            pausingSink);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(firstRow.await(30, TimeUnit.SECONDS)).isTrue();

            // The server can produce the whole result in this time; the proxy must not take it in.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> proxyBufferMemory() - baseline < BOUND);

            resume.countDown();
            assertThat(copy.get(120, TimeUnit.SECONDS)).isEqualTo(ROWS);
        }
        assertThat(received.get()).isEqualTo(ROWS * ROW_BYTES);
    }

    /** Memory of Netty's shared pool, where the proxy's read and write buffers live. */
    private static long proxyBufferMemory() {
        PooledByteBufAllocatorMetric metric = PooledByteBufAllocator.DEFAULT.metric();
        return metric.usedDirectMemory() + metric.usedHeapMemory();
    }
}
