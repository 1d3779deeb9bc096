package io.pgwarden.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgwarden.config.LimitSettings;
import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.proxy.TestSettings;
import io.pgwarden.proxy.topology.StaticTopology;
import io.pgwarden.proxy.wire.FakeBackend;
import io.pgwarden.proxy.wire.RawClient;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Limits changed on a running proxy, as a reload does: new sessions take them, open ones keep theirs. */
class LimitsReloadTest {

    private static final Duration LONG = Duration.ofSeconds(10);

    private FakeBackend backend;
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (backend != null) {
            backend.close();
            assertThat(backend.failures()).isEmpty();
        }
    }

    private void start(String limits) throws IOException {
        backend = new FakeBackend(LimitsReloadTest::answerQueries);
        PgwardenSettings settings = TestSettings.of(
                List.of(new TestSettings.Backend("pg1", "127.0.0.1", backend.port())),
                "tls.backend.mode = disable\n" + limits);
        proxy = new ProxyServer(settings, StaticTopology.fromBackends(settings.backends()));
        proxy.start();
    }

    private static LimitSettings with(LimitSettings limits, int maxClientConnections, Duration startupTimeout) {
        return new LimitSettings(maxClientConnections, startupTimeout, limits.holdTimeout(), limits.maxMessageSize(),
                limits.clientIdleTimeout(), limits.backendConnectTimeout());
    }

    @Test
    void aLowerConnectionLimitRefusesTheNextClientAndKeepsTheOpenOnes() throws Exception {
        start("limits.max-client-connections = 5");
        try (RawClient first = loggedInClient(); RawClient second = loggedInClient()) {
            proxy.updateLimits(with(proxy.limits(), 2, proxy.limits().startupTimeout()));

            try (RawClient third = new RawClient("127.0.0.1", proxy.port("rw"))) {
                third.send(RawClient.startupMessage("user", "app"));
                Map<Character, String> error = third.readMessage().fields();
                assertThat(error).containsEntry('S', "FATAL").containsEntry('C', "53300");
                assertThat(error.get('D')).contains("at most 2 client connections");
            }
            assertQueryAnswered(first);
            assertQueryAnswered(second);

            proxy.updateLimits(with(proxy.limits(), 3, proxy.limits().startupTimeout()));
            try (RawClient third = loggedInClient()) {
                assertQueryAnswered(third);
            }
        }
        assertThat(proxy.limits().maxClientConnections()).isEqualTo(3);
    }

    @Test
    void aShorterStartupTimeoutAppliesToSessionsAcceptedAfterTheChangeOnly() throws Exception {
        start("limits.startup-timeout = 30s");
        try (RawClient before = new RawClient("127.0.0.1", proxy.port("rw"))) {
            await().atMost(LONG).until(() -> proxy.sessions().size() == 1);
            long beforeId = proxy.sessions().get(0).id();

            proxy.updateLimits(with(proxy.limits(), proxy.limits().maxClientConnections(), Duration.ofMillis(500)));

            try (RawClient after = new RawClient("127.0.0.1", proxy.port("rw"))) {
                Map<Character, String> error = after.readMessage().fields();
                assertThat(error).containsEntry('C', "08P01");
                assertThat(error.get('M')).contains("startup did not complete within 500 ms");
            }
            // The session accepted before the change still has its 30 s.
            assertThat(proxy.session(beforeId)).isPresent();
            before.send(RawClient.startupMessage("user", "app"));
            assertThat(before.readUntil('Z').body()).containsExactly('I');
        }
    }

    @Test
    void aZeroHoldTimeoutRefusesAtOnceWhatWouldHaveBeenHeld() throws Exception {
        start("limits.hold-timeout = 30s");
        LimitSettings current = proxy.limits();
        LimitSettings noHolding = new LimitSettings(current.maxClientConnections(), current.startupTimeout(),
                Duration.ZERO, current.maxMessageSize(), current.clientIdleTimeout(),
                current.backendConnectTimeout());
        proxy.pause();
        try {
            proxy.updateLimits(noHolding);

            assertThat(proxy.limits()).isEqualTo(noHolding);
            try (RawClient client = new RawClient("127.0.0.1", proxy.port("rw"))) {
                long start = System.nanoTime();
                client.send(RawClient.startupMessage("user", "app"));
                Map<Character, String> error = client.readMessage().fields();
                assertThat(error).containsEntry('S', "FATAL").containsEntry('C', "57P03");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            }
        } finally {
            proxy.resume();
        }
        try (RawClient client = loggedInClient()) {
            assertQueryAnswered(client);
        }
    }

    private RawClient loggedInClient() throws IOException {
        RawClient client = new RawClient("127.0.0.1", proxy.port("rw"));
        client.send(RawClient.startupMessage("user", "app"));
        assertThat(client.readUntil('Z').body()).containsExactly('I');
        return client;
    }

    private static void assertQueryAnswered(RawClient client) throws IOException {
        client.send(RawClient.query("SELECT 1"));
        assertThat(client.readUntil('Z').body()).containsExactly('I');
    }

    /** Logs every connection in and answers each query with CommandComplete and ReadyForQuery. */
    private static void answerQueries(FakeBackend.Peer peer) throws Exception {
        peer.readStartupPacket();
        peer.send(FakeBackend.loggedIn(1, 2));
        while (true) {
            RawClient.Received message;
            try {
                message = peer.readMessage();
            } catch (EOFException | SocketException closed) {
                return;
            }
            if (message.type() == 'X') {
                return;
            }
            if (message.type() == 'Q') {
                peer.send(FakeBackend.message('C', "SELECT 1\0".getBytes(StandardCharsets.UTF_8)),
                        FakeBackend.readyForQuery('I'));
            }
        }
    }
}
