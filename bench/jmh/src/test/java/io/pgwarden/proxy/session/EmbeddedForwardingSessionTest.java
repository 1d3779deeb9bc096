package io.pgwarden.proxy.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.pgwarden.bench.traffic.BackendTraffic;
import io.pgwarden.bench.traffic.Streams;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The benchmark fixture must be the proxy's real hot path: a session that went through its own
 * startup and login, forwards bytes unchanged both ways, and keeps the state it keeps in
 * production.
 */
class EmbeddedForwardingSessionTest {

    @Test
    void sessionReachesForwardingThroughItsOwnStartupReplayAndLogin() {
        try (EmbeddedForwardingSession session = EmbeddedForwardingSession.open()) {
            assertThat(session.state()).isEqualTo(SessionState.IDLE);
            assertThat(session.registeredSessions()).isEqualTo(1);

            ByteBuffer startup = ByteBuffer.wrap(session.replayedStartup());
            assertThat(startup.getInt(0)).isEqualTo(startup.capacity());
            assertThat(startup.getInt(4)).isEqualTo(196608);
            String parameters = new String(session.replayedStartup(), 8, startup.capacity() - 8, StandardCharsets.US_ASCII);
            assertThat(parameters).contains("user\0bench\0").contains("database\0bench\0").endsWith("\0\0");

            // One buffer per message, as the session relays the login; the client gets a
            // proxy-issued cancel key, never the server's.
            assertThat(session.loginRelayed()).hasSize(11);
            assertThat(session.loginRelayed().get(0)).isEqualTo("R");
            assertThat(session.loginRelayed().subList(1, 9)).containsOnly("S");
            assertThat(session.loginRelayed().get(9)).startsWith("K(")
                    .isNotEqualTo("K(" + EmbeddedForwardingSession.SERVER_PROCESS_ID + ","
                            + EmbeddedForwardingSession.SERVER_SECRET_KEY + ")");
            assertThat(session.loginRelayed().get(10)).isEqualTo("Z");
            assertThat(session.cancelKeys()).isEqualTo(1);
        }
    }

    @Test
    void relaysBothWaysUnchangedAndFollowsTheTransactionState() {
        try (EmbeddedForwardingSession session = EmbeddedForwardingSession.open()) {
            byte[] request = Streams.preparedSelectRequest(17);
            session.client().writeInbound(Unpooled.wrappedBuffer(request));
            assertThat(drain(session.backend().readOutbound(), session)).isEqualTo(request);
            assertThat(session.state()).isEqualTo(SessionState.ACTIVE);

            byte[] reply = Streams.preparedSelectReply(-5);
            session.backend().writeInbound(Unpooled.wrappedBuffer(reply));
            assertThat(drain(session.client().readOutbound(), session)).isEqualTo(reply);
            assertThat(session.state()).isEqualTo(SessionState.IDLE);

            // A TPC-B-like stream ends with COMMIT's ReadyForQuery 'I'; cut short before it,
            // the session is inside the transaction.
            byte[] stream = Streams.backend(BackendTraffic.SMALL, 4096);
            int lastReadyForQuery = stream.length - 6;
            assertThat(stream[lastReadyForQuery]).isEqualTo((byte) 'Z');
            session.backend().writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(stream, lastReadyForQuery)));
            assertThat(session.state()).isEqualTo(SessionState.IN_TRANSACTION);
            session.backend().writeInbound(Unpooled.wrappedBuffer(stream, lastReadyForQuery, 6));
            assertThat(session.state()).isEqualTo(SessionState.IDLE);
            ByteArrayOutputStream relayed = new ByteArrayOutputStream();
            for (ByteBuf sent = session.client().readOutbound(); sent != null; sent = session.client().readOutbound()) {
                relayed.writeBytes(ByteBufUtil.getBytes(sent));
                sent.release();
            }
            assertThat(relayed.toByteArray()).isEqualTo(stream);
        }
    }

    @Test
    void clientDisconnectMakesTheSessionSayTerminateAndReleaseEverything() {
        try (EmbeddedForwardingSession session = EmbeddedForwardingSession.open()) {
            session.client().close();

            ByteBuf goodbye = session.backend().readOutbound();
            try {
                assertThat(ByteBufUtil.getBytes(goodbye)).containsExactly('X', 0, 0, 0, 4);
            } finally {
                goodbye.release();
            }
            assertThat(session.backend().isOpen()).isFalse();
            assertThat(session.state()).isEqualTo(SessionState.CLOSED);
            assertThat(session.registeredSessions()).isZero();
            assertThat(session.cancelKeys()).isZero();
        }
    }

    private static byte[] drain(ByteBuf first, EmbeddedForwardingSession session) {
        assertThat(first).as("a forwarded buffer").isNotNull();
        try {
            return ByteBufUtil.getBytes(first);
        } finally {
            first.release();
            assertThat(session.client().outboundMessages()).isEmpty();
            assertThat(session.backend().outboundMessages()).isEmpty();
        }
    }
}
