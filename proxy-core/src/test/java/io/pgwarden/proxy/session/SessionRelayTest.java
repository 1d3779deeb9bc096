package io.pgwarden.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgwarden.config.PgwardenSettings;
import io.pgwarden.proxy.TestSettings;
import io.pgwarden.proxy.listener.ProxyServer;
import io.pgwarden.proxy.topology.StaticTopology;
import io.pgwarden.proxy.wire.FakeBackend;
import io.pgwarden.proxy.wire.RawClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the proxy itself does with a session, against a scripted fake server: the behaviour
 * under test belongs to the proxy, not to PostgreSQL.
 */
class SessionRelayTest {

    private static final int REAL_PROCESS_ID = 4242;
    private static final int REAL_SECRET = 0x01020304;

    private FakeBackend backend;
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (backend != null) {
            assertThat(backend.failures()).isEmpty();
            backend.close();
        }
    }

    @Test
    void backendKeyDataIsReplacedAndACancelWithTheProxyKeyReachesTheServerWithItsRealKey() throws Exception {
        CompletableFuture<byte[]> cancelSeen = new CompletableFuture<>();
        start(peer -> {
            byte[] first = peer.readStartupPacket();
            if (ByteBuffer.wrap(first).getInt(4) == 80877102) {
                cancelSeen.complete(first);
                return;
            }
            peer.send(FakeBackend.loggedIn(REAL_PROCESS_ID, REAL_SECRET));
            peer.awaitEndOfStream();
        });
        try (RawClient client = client()) {
            client.send(RawClient.startupMessage("user", "app", "database", "shop"));
            RawClient.Received key = client.readUntil('K');
            int processId = key.int32(0);
            int secret = key.int32(4);
            assertThat(key.body()).hasSize(8);
            assertThat(processId).isNotEqualTo(REAL_PROCESS_ID);
            assertThat(secret).isNotEqualTo(REAL_SECRET);
            assertThat(client.readMessage().type()).isEqualTo('Z');

            try (RawClient canceller = client()) {
                canceller.send(RawClient.cancelRequest(processId, secret));
                assertThat(canceller.readToEnd()).isEmpty();
            }

            ByteBuffer forwarded = ByteBuffer.wrap(cancelSeen.get(10, TimeUnit.SECONDS));
            assertThat(forwarded.getInt(0)).isEqualTo(16);
            assertThat(forwarded.getInt(8)).isEqualTo(REAL_PROCESS_ID);
            assertThat(forwarded.getInt(12)).isEqualTo(REAL_SECRET);
        }
    }

    @Test
    void channelBindingMechanismsAreNotOfferedToTheClient() throws Exception {
        start(peer -> {
            peer.readStartupPacket();
            peer.send(FakeBackend.authenticationSasl("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"));
            peer.awaitEndOfStream();
        });
        try (RawClient client = client()) {
            client.send(RawClient.startupMessage("user", "app"));
            RawClient.Received sasl = client.readMessage();
            assertThat(sasl.type()).isEqualTo('R');
            assertThat(sasl.int32(0)).isEqualTo(10);
            String mechanisms = new String(sasl.body(), 4, sasl.body().length - 4, StandardCharsets.UTF_8);
            assertThat(mechanisms).isEqualTo("SCRAM-SHA-256\0\0");
        }
    }

    @Test
    void startupIsReplayedByteForByteAndPipelinedBytesFollowIt() throws Exception {
        byte[] startup = RawClient.startupMessage("user", "app", "database", "shop", "application_name", "pipelined",
                "options", "-c work_mem=8MB");
        CompletableFuture<byte[]> replayed = new CompletableFuture<>();
        CompletableFuture<RawClient.Received> query = new CompletableFuture<>();
        start(peer -> {
            replayed.complete(peer.readStartupPacket());
            peer.send(FakeBackend.loggedIn(REAL_PROCESS_ID, REAL_SECRET));
            query.complete(peer.readMessage());
            peer.awaitEndOfStream();
        });
        try (RawClient client = client()) {
            // Trust authentication lets a client send its first query right behind the startup.
            client.send(RawClient.concat(startup, RawClient.query("SELECT 1")));
            assertThat(replayed.get(10, TimeUnit.SECONDS)).isEqualTo(startup);
            RawClient.Received forwarded = query.get(10, TimeUnit.SECONDS);
            assertThat(forwarded.type()).isEqualTo('Q');
            assertThat(new String(forwarded.body(), StandardCharsets.UTF_8)).isEqualTo("SELECT 1\0");
        }
    }

    @Test
    void messagesBehindTheStartupReadyForQueryReachTheClient() throws Exception {
        start(peer -> {
            peer.readStartupPacket();
            peer.send(RawClient.concat(FakeBackend.loggedIn(REAL_PROCESS_ID, REAL_SECRET),
                    FakeBackend.notificationResponse(99, "jobs", "ready")));
            peer.awaitEndOfStream();
        });
        try (RawClient client = client()) {
            client.send(RawClient.startupMessage("user", "app"));
            assertThat(client.readUntil('Z').body()).containsExactly('I');
            RawClient.Received notification = client.readMessage();
            assertThat(notification.type()).isEqualTo('A');
            assertThat(new String(notification.body(), 4, notification.body().length - 4, StandardCharsets.UTF_8))
                    .isEqualTo("jobs\0ready\0");
        }
    }

    @Test
    void serverVanishingBetweenMessagesGivesTheClientConnectionFailure() throws Exception {
        start(peer -> {
            peer.readStartupPacket();
            peer.send(FakeBackend.loggedIn(REAL_PROCESS_ID, REAL_SECRET));
            peer.readMessage();
            peer.close();
        });
        try (RawClient client = client()) {
            client.send(RawClient.startupMessage("user", "app"));
            client.readUntil('Z');
            client.send(RawClient.query("SELECT 1"));
            RawClient.Received error = client.readMessage();
            assertThat(error.type()).isEqualTo('E');
            Map<Character, String> fields = error.fields();
            assertThat(fields).containsEntry('S', "FATAL").containsEntry('C', "08006");
            assertThat(fields.get('D')).contains("pg1");
            assertThat(client.atEndOfStream()).isTrue();
        }
    }

    @Test
    void serverVanishingInsideAMessageClosesWithoutSplicingAnError() throws Exception {
        byte[] partialDataRow = {'D', 0, 0, 0, 100, 0, 1};
        start(peer -> {
            peer.readStartupPacket();
            peer.send(FakeBackend.loggedIn(REAL_PROCESS_ID, REAL_SECRET));
            peer.readMessage();
            peer.send(partialDataRow);
            peer.close();
        });
        try (RawClient client = client()) {
            client.send(RawClient.startupMessage("user", "app"));
            client.readUntil('Z');
            client.send(RawClient.query("SELECT 1"));
            assertThat(client.readToEnd()).containsExactly(partialDataRow);
        }
    }

    @Test
    void serversOwnFatalErrorIsPassedOnAlone() throws Exception {
        start(peer -> {
            peer.readStartupPacket();
            peer.send(FakeBackend.loggedIn(REAL_PROCESS_ID, REAL_SECRET));
            peer.readMessage();
            peer.send(FakeBackend.errorResponse("FATAL", "57P01", "terminating connection due to administrator command"));
            peer.close();
        });
        try (RawClient client = client()) {
            client.send(RawClient.startupMessage("user", "app"));
            client.readUntil('Z');
            client.send(RawClient.query("SELECT 1"));
            RawClient.Received error = client.readMessage();
            assertThat(error.fields()).containsEntry('C', "57P01");
            assertThat(client.atEndOfStream()).isTrue();
        }
    }

    @Test
    void clientThatDisconnectsWhileIdleMakesTheProxySendTerminate() throws Exception {
        CompletableFuture<Character> lastMessage = new CompletableFuture<>();
        start(peer -> {
            peer.readStartupPacket();
            peer.send(FakeBackend.loggedIn(REAL_PROCESS_ID, REAL_SECRET));
            lastMessage.complete(peer.readMessage().type());
            peer.awaitEndOfStream();
        });
        try (RawClient client = client()) {
            client.send(RawClient.startupMessage("user", "app"));
            client.readUntil('Z');
        }
        assertThat(lastMessage.get(10, TimeUnit.SECONDS)).isEqualTo('X');
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.clientConnections() == 0 && proxy.issuedCancelKeys() == 0);
    }

    @Test
    void clientThatNeverAnswersTheAuthenticationRequestIsTimedOut() throws Exception {
        start(peer -> {
            peer.readStartupPacket();
            peer.send(FakeBackend.message('R', RawClient.int32(3)));
            peer.awaitEndOfStream();
        }, "limits.startup-timeout = 1s\n tls.backend.mode = disable");
        try (RawClient client = client()) {
            client.send(RawClient.startupMessage("user", "app"));
            assertThat(client.readMessage().type()).isEqualTo('R');
            RawClient.Received error = client.readMessage();
            assertThat(error.fields()).containsEntry('S', "FATAL").containsEntry('C', "08P01");
            assertThat(error.fields().get('M')).contains("startup did not complete within 1 s");
            assertThat(client.atEndOfStream()).isTrue();
        }
    }

    @Test
    void serverRefusingTlsIsRefusedInModeRequire() throws Exception {
        CompletableFuture<Boolean> closedAfterN = new CompletableFuture<>();
        start(peer -> {
            assertThat(ByteBuffer.wrap(peer.readStartupPacket()).getInt(4)).isEqualTo(80877103);
            peer.send(new byte[] {'N'});
            closedAfterN.complete(peer.awaitEndOfStream());
        }, "tls.backend.mode = require");
        try (RawClient client = client()) {
            client.send(RawClient.startupMessage("user", "app"));
            RawClient.Received error = client.readMessage();
            assertThat(error.fields()).containsEntry('C', "08001");
            assertThat(error.fields().get('M')).contains("does not support SSL");
        }
        assertThat(closedAfterN.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void serverRefusingTlsGetsThePlainStartupInModePrefer() throws Exception {
        byte[] startup = RawClient.startupMessage("user", "app");
        CompletableFuture<byte[]> afterN = new CompletableFuture<>();
        start(peer -> {
            assertThat(ByteBuffer.wrap(peer.readStartupPacket()).getInt(4)).isEqualTo(80877103);
            peer.send(new byte[] {'N'});
            afterN.complete(peer.readStartupPacket());
            peer.send(FakeBackend.loggedIn(REAL_PROCESS_ID, REAL_SECRET));
            peer.awaitEndOfStream();
        }, "tls.backend.mode = prefer");
        try (RawClient client = client()) {
            client.send(startup);
            assertThat(client.readUntil('Z').body()).containsExactly('I');
        }
        assertThat(afterN.get(10, TimeUnit.SECONDS)).isEqualTo(startup);
    }

    @Test
    void sessionDirectoryShowsTheStartupParametersAndFollowsApplicationNameReports() throws Exception {
        CompletableFuture<Void> answered = new CompletableFuture<>();
        start(peer -> {
            peer.readStartupPacket();
            peer.send(FakeBackend.loggedIn(REAL_PROCESS_ID, REAL_SECRET));
            peer.readMessage();
            peer.send(FakeBackend.parameterStatus("application_name", "renamed"), commandComplete("BEGIN"),
                    FakeBackend.readyForQuery('T'));
            answered.complete(null);
            peer.awaitEndOfStream();
        });
        try (RawClient client = client()) {
            client.send(RawClient.startupMessage("user", "app", "database", "shop", "application_name", "first"));
            client.readUntil('Z');
            SessionInfo opened = proxy.sessions().get(0);
            assertThat(opened.applicationName()).contains("first");
            assertThat(opened.state()).isEqualTo(SessionState.IDLE);
            assertThat(opened.user()).contains("app");
            assertThat(opened.database()).contains("shop");
            assertThat(opened.node()).contains("pg1");
            assertThat(opened.listener()).isEqualTo("rw");
            assertThat(opened.openedAt()).isBeforeOrEqualTo(Instant.now());

            client.send(RawClient.query("BEGIN; SET application_name = 'renamed'"));
            assertThat(client.readUntil('Z').body()).containsExactly('T');

            SessionInfo renamed = proxy.session(opened.id()).orElseThrow();
            assertThat(renamed.applicationName()).contains("renamed");
            assertThat(renamed.state()).isEqualTo(SessionState.IN_TRANSACTION);
            assertThat(renamed.openedAt()).isEqualTo(opened.openedAt());
        }
    }

    @Test
    void relayedBytesAreCountedExactlyInBothDirections() throws Exception {
        byte[] response = RawClient.concat(commandComplete("SELECT 1"), FakeBackend.readyForQuery('I'));
        start(peer -> {
            peer.readStartupPacket();
            peer.send(FakeBackend.loggedIn(REAL_PROCESS_ID, REAL_SECRET));
            peer.readMessage();
            peer.send(response);
            peer.awaitEndOfStream();
        });
        byte[] query = RawClient.query("SELECT 1");
        try (RawClient client = client()) {
            client.send(RawClient.startupMessage("user", "app"));
            client.readUntil('Z');
            client.send(query);
            client.readUntil('Z');

            assertThat(proxy.statistics().bytesFromClients("rw")).isEqualTo(query.length);
            assertThat(proxy.statistics().bytesToClients("rw"))
                    .isEqualTo(FakeBackend.loggedIn(REAL_PROCESS_ID, REAL_SECRET).length + response.length);
            assertThat(proxy.statistics().bytesToClients("ro")).isZero();
            assertThat(proxy.statistics().acceptedConnections("rw")).isEqualTo(1);
            assertThat(proxy.statistics().routedSessions("pg1", NodeRole.PRIMARY)).isEqualTo(1);
            assertThat(proxy.statistics().clientConnections("rw")).containsEntry(SessionState.IDLE, 1);
            assertThat(proxy.statistics().backendSessions()).isEqualTo(Map.of("pg1", 1));
        }
    }

    @Test
    void authenticationErrorOfTheServerIsCountedAsAnAuthenticationFailure() throws Exception {
        start(peer -> {
            peer.readStartupPacket();
            peer.send(FakeBackend.message('R', RawClient.int32(3)));
            peer.readMessage();
            peer.send(FakeBackend.errorResponse("FATAL", "28P01", "password authentication failed for user \"app\""));
            peer.close();
        });
        try (RawClient client = client()) {
            client.send(RawClient.startupMessage("user", "app"));
            client.readUntil('R');
            client.send(FakeBackend.message('p', "wrong\0".getBytes(StandardCharsets.UTF_8)));
            assertThat(client.readMessage().fields()).containsEntry('C', "28P01");
        }
        assertThat(proxy.statistics().authenticationFailures("rw")).isEqualTo(1);
    }

    @Test
    void backendNamedByHostNameIsResolvedAndReached() throws Exception {
        start(peer -> {
            peer.readStartupPacket();
            peer.send(FakeBackend.loggedIn(REAL_PROCESS_ID, REAL_SECRET));
            peer.awaitEndOfStream();
        }, "tls.backend.mode = disable", "localhost");
        try (RawClient client = client()) {
            client.send(RawClient.startupMessage("user", "app"));
            assertThat(client.readUntil('Z').body()).containsExactly('I');
        }
    }

    private static byte[] commandComplete(String tag) {
        return FakeBackend.message('C', RawClient.concat(tag.getBytes(StandardCharsets.UTF_8), new byte[] {0}));
    }

    private void start(FakeBackend.Script script) throws Exception {
        start(script, "tls.backend.mode = disable");
    }

    private void start(FakeBackend.Script script, String extraHocon) throws Exception {
        start(script, extraHocon, "127.0.0.1");
    }

    private void start(FakeBackend.Script script, String extraHocon, String backendHost) throws Exception {
        backend = new FakeBackend(script);
        PgwardenSettings settings = TestSettings.of(
                List.of(new TestSettings.Backend("pg1", backendHost, backend.port())), extraHocon);
        proxy = new ProxyServer(settings, StaticTopology.fromBackends(settings.backends()));
        proxy.start();
    }

    private RawClient client() throws Exception {
        return new RawClient("127.0.0.1", proxy.port("rw"));
    }
}
