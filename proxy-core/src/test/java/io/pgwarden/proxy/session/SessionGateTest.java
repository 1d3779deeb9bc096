package io.pgwarden.proxy.session;

import static io.pgwarden.proxy.wire.RawClient.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.protocol.SqlState;
import io.pgwarden.proxy.TestSettings;
import io.pgwarden.proxy.it.Background;
import io.pgwarden.proxy.listener.ProxyServer;
import io.pgwarden.proxy.topology.StaticTopology;
import io.pgwarden.proxy.wire.FakeBackend;
import io.pgwarden.proxy.wire.RawClient;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The traffic gate of a planned switchover, against a scripted server that records what
 * reaches it: what is held, what goes on, and when the proxy calls its sessions idle.
 */
class SessionGateTest {

    private static final Duration SHORT = Duration.ofMillis(300);
    private static final Duration LONG = Duration.ofSeconds(10);

    /** Messages that reached the server, in order, over all connections. */
    private final BlockingQueue<RawClient.Received> received = new LinkedBlockingQueue<>();
    /** Released by a test to let the server answer a query {@code WAIT}. */
    private final CountDownLatch answerWait = new CountDownLatch(1);
    private final AtomicInteger connections = new AtomicInteger();

    private FakeBackend backend;
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        answerWait.countDown();
        if (proxy != null) {
            proxy.close();
        }
        if (backend != null) {
            backend.close();
            assertThat(backend.failures()).isEmpty();
        }
    }

    @Test
    void idleSessionsNextQueryIsHeldUntilResumeAndThenAnswered() throws Exception {
        start("");
        try (RawClient client = loggedInClient()) {
            proxy.pause();
            client.send(RawClient.query("SELECT 1"));

            awaitState(SessionState.HELD);
            assertThat(queriesReceived()).isEmpty();
            assertThat(proxy.awaitIdle(SHORT)).isTrue();

            proxy.resume();

            assertThat(client.readUntil('Z').body()).containsExactly('I');
            assertThat(queriesReceived()).containsExactly("SELECT 1");
        }
    }

    @Test
    void transactionOpenWhenPausedRunsToItsCommitAndOnlyThenIsTheSessionIdle() throws Exception {
        start("");
        try (RawClient client = loggedInClient()) {
            client.send(RawClient.query("BEGIN"));
            assertThat(client.readUntil('Z').body()).containsExactly('T');

            proxy.pause();
            assertThat(proxy.awaitIdle(SHORT)).isFalse();

            client.send(RawClient.query("INSERT 1"));
            assertThat(client.readUntil('Z').body()).containsExactly('T');
            assertThat(proxy.awaitIdle(SHORT)).isFalse();
            client.send(RawClient.query("COMMIT"));
            assertThat(client.readUntil('Z').body()).containsExactly('I');

            assertThat(proxy.awaitIdle(LONG)).isTrue();
            client.send(RawClient.query("SELECT 2"));
            awaitState(SessionState.HELD);
            assertThat(queriesReceived()).containsExactly("BEGIN", "INSERT 1", "COMMIT");

            proxy.resume();
            client.readUntil('Z');
            assertThat(queriesReceived()).containsExactly("BEGIN", "INSERT 1", "COMMIT", "SELECT 2");
        }
    }

    @Test
    void queryInFlightKeepsTheSessionBusyUntilItsReadyForQuery() throws Exception {
        start("");
        try (RawClient client = loggedInClient()) {
            client.send(RawClient.query("WAIT"));
            await().atMost(LONG).until(() -> queriesReceived().contains("WAIT"));
            proxy.pause();

            assertThat(proxy.awaitIdle(SHORT)).isFalse();
            CompletableFuture<Boolean> idle = Background.supply(() -> awaitIdle(LONG));
            answerWait.countDown();

            assertThat(client.readUntil('Z').body()).containsExactly('I');
            assertThat(idle.get(15, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void extendedProtocolRequestWithoutSyncIsNotBetweenTransactions() throws Exception {
        start("");
        try (RawClient client = loggedInClient()) {
            client.send(concat(parse("INSERT 1"), bind(), execute(), flush()));
            await().atMost(LONG).until(() -> received.stream().anyMatch(message -> message.type() == 'H'));
            proxy.pause();

            assertThat(proxy.awaitIdle(SHORT)).isFalse();
            // Sync ends the request; it is not the start of a new one, so it goes through.
            client.send(sync());
            assertThat(client.readUntil('Z').body()).containsExactly('I');

            assertThat(proxy.awaitIdle(LONG)).isTrue();
            proxy.resume();
        }
    }

    @Test
    void newSessionWhilePausedWaitsBeforeConnectingAndIsRoutedOnResume() throws Exception {
        start("limits.hold-timeout = 30s");
        proxy.pause();
        try (RawClient client = new RawClient("127.0.0.1", proxy.port("rw"))) {
            client.send(RawClient.startupMessage("user", "app"));
            awaitState(SessionState.HELD);
            assertThat(proxy.sessions().get(0).node()).isEmpty();
            assertThat(connections).hasValue(0);
            assertThat(proxy.statistics().heldSessions()).isEqualTo(1);
            assertThat(proxy.awaitIdle(SHORT)).isTrue();

            proxy.resume();

            assertThat(client.readUntil('Z').body()).containsExactly('I');
            assertThat(connections).hasValue(1);
            assertThat(proxy.statistics().heldSessions()).isZero();
        }
    }

    @Test
    void newSessionPausedBeyondTheHoldTimeoutIsRefusedWithCannotConnectNow() throws Exception {
        start("limits.hold-timeout = 1s");
        proxy.pause();
        try (RawClient client = new RawClient("127.0.0.1", proxy.port("rw"))) {
            client.send(RawClient.startupMessage("user", "app"));

            RawClient.Received error = client.readMessage();
            assertThat(error.type()).isEqualTo('E');
            assertThat(error.fields()).containsEntry('S', "FATAL").containsEntry('C', "57P03");
            assertThat(error.fields().get('M')).contains("traffic is paused");
        }
        assertThat(proxy.statistics().rejectedConnections("rw", RejectReason.HOLD_TIMEOUT)).isEqualTo(1);
        assertThat(proxy.statistics().errorsSent(SqlState.CANNOT_CONNECT_NOW)).isEqualTo(1);
        assertThat(connections).hasValue(0);
    }

    @Test
    void heldSessionThatIsTerminatedNeverSendsItsQuery() throws Exception {
        start("");
        try (RawClient client = loggedInClient()) {
            proxy.pause();
            client.send(RawClient.query("DELETE everything"));
            awaitState(SessionState.HELD);

            assertThat(proxy.terminateSession(proxy.sessions().get(0).id(), "terminating connection: switchover"))
                    .isTrue();

            RawClient.Received error = client.readMessage();
            assertThat(error.fields()).containsEntry('C', "57P01").containsEntry('M', "terminating connection: switchover");
            assertThat(client.atEndOfStream()).isTrue();
            await().atMost(LONG).until(() -> received.stream().anyMatch(message -> message.type() == 'X'));
            assertThat(queriesReceived()).isEmpty();
        }
        proxy.resume();
    }

    @Test
    void heldSessionIsNotTakenForIdleByTheClientIdleTimeout() throws Exception {
        start("limits.client-idle-timeout = 500ms");
        try (RawClient client = loggedInClient()) {
            proxy.pause();
            client.send(RawClient.query("SELECT 1"));

            await().during(Duration.ofMillis(1500)).atMost(LONG)
                    .until(() -> proxy.sessions().size() == 1 && proxy.sessions().get(0).state() == SessionState.HELD);

            proxy.resume();
            assertThat(client.readUntil('Z').body()).containsExactly('I');
        }
    }

    @Test
    void pauseAndResumeAreIdempotentAndAwaitIdleWithoutSessionsIsImmediate() throws Exception {
        start("");
        proxy.pause();
        proxy.pause();
        assertThat(proxy.paused()).isTrue();
        assertThat(proxy.awaitIdle(Duration.ZERO)).isTrue();
        proxy.resume();
        proxy.resume();
        assertThat(proxy.paused()).isFalse();
        try (RawClient client = loggedInClient()) {
            client.send(RawClient.query("SELECT 1"));
            assertThat(client.readUntil('Z').body()).containsExactly('I');
        }
    }

    // ---- the scripted server

    private void start(String extraHocon) throws Exception {
        backend = new FakeBackend(this::serve);
        PgwardenSettings settings = TestSettings.of(
                List.of(new TestSettings.Backend("pg1", "127.0.0.1", backend.port())),
                "tls.backend.mode = disable\n" + extraHocon);
        proxy = new ProxyServer(settings, StaticTopology.fromBackends(settings.backends()));
        proxy.start();
    }

    /**
     * A server that answers every Query with CommandComplete and ReadyForQuery, tracking BEGIN
     * and COMMIT; a Sync gets ReadyForQuery; the query {@code WAIT} is answered once the test
     * allows it.
     */
    private void serve(FakeBackend.Peer peer) throws Exception {
        connections.incrementAndGet();
        peer.readStartupPacket();
        peer.send(FakeBackend.loggedIn(1, 2));
        char status = 'I';
        while (true) {
            RawClient.Received message;
            try {
                message = peer.readMessage();
            } catch (EOFException | SocketException closed) {
                return;
            }
            received.add(message);
            switch (message.type()) {
                case 'X' -> {
                    return;
                }
                case 'Q' -> {
                    String sql = text(message.body());
                    if (sql.equals("BEGIN")) {
                        status = 'T';
                    } else if (sql.equals("COMMIT")) {
                        status = 'I';
                    } else if (sql.equals("WAIT")) {
                        answerWait.await(20, TimeUnit.SECONDS);
                    }
                    peer.send(commandComplete(sql), FakeBackend.readyForQuery(status));
                }
                case 'S' -> peer.send(FakeBackend.readyForQuery(status));
                default -> {
                    // Parse, Bind, Execute, Flush: recorded only.
                }
            }
        }
    }

    private RawClient loggedInClient() throws IOException {
        RawClient client = new RawClient("127.0.0.1", proxy.port("rw"));
        client.send(RawClient.startupMessage("user", "app"));
        assertThat(client.readUntil('Z').body()).containsExactly('I');
        return client;
    }

    private void awaitState(SessionState state) {
        await().atMost(LONG).until(() -> proxy.sessions().stream().anyMatch(session -> session.state() == state));
    }

    private boolean awaitIdle(Duration timeout) {
        try {
            return proxy.awaitIdle(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private List<String> queriesReceived() {
        return received.stream().filter(message -> message.type() == 'Q').map(message -> text(message.body())).toList();
    }

    private static String text(byte[] body) {
        return new String(body, 0, body.length - 1, StandardCharsets.UTF_8);
    }

    private static byte[] commandComplete(String tag) {
        return FakeBackend.message('C', concat(tag.getBytes(StandardCharsets.UTF_8), new byte[] {0}));
    }

    private static byte[] parse(String sql) {
        return FakeBackend.message('P', concat(new byte[] {0}, sql.getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0}));
    }

    private static byte[] bind() {
        return FakeBackend.message('B', new byte[] {0, 0, 0, 0, 0, 0, 0, 0});
    }

    private static byte[] execute() {
        return FakeBackend.message('E', concat(new byte[] {0}, ByteBuffer.allocate(4).putInt(0).array()));
    }

    private static byte[] flush() {
        return FakeBackend.message('H', new byte[0]);
    }

    private static byte[] sync() {
        return FakeBackend.message('S', new byte[0]);
    }
}
