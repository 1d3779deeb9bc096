package io.pgwarden.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.pgwarden.protocol.fixtures.Fixture;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.CopyData;
import io.pgwarden.protocol.message.CopyDone;
import io.pgwarden.protocol.message.FrontendMessage;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.backend.AuthenticationCleartextPassword;
import io.pgwarden.protocol.message.backend.AuthenticationGSS;
import io.pgwarden.protocol.message.backend.AuthenticationMD5Password;
import io.pgwarden.protocol.message.backend.AuthenticationOk;
import io.pgwarden.protocol.message.backend.AuthenticationSASL;
import io.pgwarden.protocol.message.backend.AuthenticationSASLContinue;
import io.pgwarden.protocol.message.backend.AuthenticationSASLFinal;
import io.pgwarden.protocol.message.backend.BackendKeyData;
import io.pgwarden.protocol.message.backend.BindComplete;
import io.pgwarden.protocol.message.backend.CloseComplete;
import io.pgwarden.protocol.message.backend.CommandComplete;
import io.pgwarden.protocol.message.backend.CopyBothResponse;
import io.pgwarden.protocol.message.backend.CopyInResponse;
import io.pgwarden.protocol.message.backend.CopyOutResponse;
import io.pgwarden.protocol.message.backend.DataRow;
import io.pgwarden.protocol.message.backend.EmptyQueryResponse;
import io.pgwarden.protocol.message.backend.ErrorResponse;
import io.pgwarden.protocol.message.backend.FunctionCallResponse;
import io.pgwarden.protocol.message.backend.GSSENCResponse;
import io.pgwarden.protocol.message.backend.NegotiateProtocolVersion;
import io.pgwarden.protocol.message.backend.NoData;
import io.pgwarden.protocol.message.backend.NoticeResponse;
import io.pgwarden.protocol.message.backend.NotificationResponse;
import io.pgwarden.protocol.message.backend.ParameterDescription;
import io.pgwarden.protocol.message.backend.ParameterStatus;
import io.pgwarden.protocol.message.backend.ParseComplete;
import io.pgwarden.protocol.message.backend.PortalSuspended;
import io.pgwarden.protocol.message.backend.ReadyForQuery;
import io.pgwarden.protocol.message.backend.RowDescription;
import io.pgwarden.protocol.message.backend.SSLResponse;
import io.pgwarden.protocol.message.frontend.Bind;
import io.pgwarden.protocol.message.frontend.CancelRequest;
import io.pgwarden.protocol.message.frontend.Close;
import io.pgwarden.protocol.message.frontend.CopyFail;
import io.pgwarden.protocol.message.frontend.Describe;
import io.pgwarden.protocol.message.frontend.Execute;
import io.pgwarden.protocol.message.frontend.Flush;
import io.pgwarden.protocol.message.frontend.FunctionCall;
import io.pgwarden.protocol.message.frontend.GSSENCRequest;
import io.pgwarden.protocol.message.frontend.Parse;
import io.pgwarden.protocol.message.frontend.PasswordMessage;
import io.pgwarden.protocol.message.frontend.Query;
import io.pgwarden.protocol.message.frontend.SSLRequest;
import io.pgwarden.protocol.message.frontend.StartupMessage;
import io.pgwarden.protocol.message.frontend.Sync;
import io.pgwarden.protocol.message.frontend.Terminate;
import java.io.ByteArrayOutputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every recorded connection (see {@code fixtures/README.md}) decodes into typed messages that
 * re-encode to the recorded bytes, however the bytes are cut into reads.
 */
class FixtureRoundTripTest {
    /** Pooled and, with -Dio.netty.leakDetectionLevel=paranoid, tracked for leaks. */
    private static final ByteBufAllocator TRACKED = ByteBufAllocator.DEFAULT;
    /**
     * Untracked, for the thousands of split feeds: paranoid tracking records a stack trace on
     * every buffer access, which would make them take minutes. Leaks are still checked there
     * through the reference counts of the input buffers.
     */
    private static final ByteBufAllocator UNTRACKED = new UnpooledByteBufAllocator(false, true);

    @TestFactory
    Stream<DynamicNode> everyFixture() {
        return Fixture.all().stream().map(fixture -> {
            Conversation conversation = new Conversation(fixture);
            return dynamicContainer(fixture.name(), Stream.of(
                    dynamicTest("client stream decodes and re-encodes byte for byte",
                            () -> clientRoundTrip(conversation)),
                    dynamicTest("server stream decodes and re-encodes byte for byte",
                            () -> serverRoundTrip(conversation)),
                    dynamicTest("client stream split in two at every offset decodes the same",
                            () -> clientSplits(conversation)),
                    dynamicTest("server stream split in two at every offset decodes the same",
                            () -> serverSplits(conversation)),
                    dynamicTest("client stream one byte per read decodes the same",
                            () -> assertThat(Conversation.decodeClient(conversation.clientBytes(), TRACKED))
                                    .isEqualTo(Conversation.decodeClient(conversation.clientChunks(), UNTRACKED))),
                    dynamicTest("server stream one byte per read decodes the same",
                            () -> assertThat(conversation.decodeServer(conversation.serverBytes(), TRACKED))
                                    .isEqualTo(conversation.decodeServer(conversation.serverChunks(), UNTRACKED)))));
        });
    }

    private static void clientRoundTrip(Conversation conversation) {
        List<FrontendMessage> messages = Conversation.decodeClient(conversation.clientChunks(), TRACKED);
        assertThat(messages).isNotEmpty();
        assertSameBytes(encodeThrough(new FrontendMessageEncoder(), messages), conversation.client());
        assertSameBytes(Conversation.encode(messages, TRACKED), conversation.client());
    }

    private static void serverRoundTrip(Conversation conversation) {
        List<BackendMessage> messages = conversation.decodeServer(conversation.serverChunks(), TRACKED);
        assertSameBytes(encodeThrough(new BackendMessageEncoder(), messages), conversation.server());
        assertSameBytes(Conversation.encode(messages, TRACKED), conversation.server());
    }

    private static void clientSplits(Conversation conversation) {
        List<FrontendMessage> whole = Conversation.decodeClient(conversation.clientChunks(), UNTRACKED);
        for (int cut = 1; cut < conversation.clientSplittableLength(); cut++) {
            assertThat(Conversation.decodeClient(conversation.clientChunks(cut), UNTRACKED))
                    .as("client stream cut after byte %d of the splittable part", cut)
                    .isEqualTo(whole);
        }
    }

    private static void serverSplits(Conversation conversation) {
        List<BackendMessage> whole = conversation.decodeServer(conversation.serverChunks(), UNTRACKED);
        for (int cut = 1; cut < conversation.serverSplittableLength(); cut++) {
            assertThat(conversation.decodeServer(conversation.serverChunks(cut), UNTRACKED))
                    .as("server stream cut after byte %d of the splittable part", cut)
                    .isEqualTo(whole);
        }
    }

    /** Writes the messages through the encoder in an EmbeddedChannel and collects the bytes. */
    private static byte[] encodeThrough(ChannelHandler encoder, List<? extends Message> messages) {
        EmbeddedChannel channel = new EmbeddedChannel(encoder);
        channel.config().setAllocator(TRACKED);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Message message : messages) {
            channel.writeOutbound(message);
            ByteBuf out;
            while ((out = channel.readOutbound()) != null) {
                bytes.writeBytes(ByteBufUtil.getBytes(out));
                out.release();
            }
        }
        assertThat(channel.finish()).isFalse();
        return bytes.toByteArray();
    }

    private static void assertSameBytes(byte[] actual, byte[] expected) {
        // Hex dumps make a failure show where the bytes differ.
        assertThat(Conversation.hexDump(actual)).isEqualTo(Conversation.hexDump(expected));
    }

    @Test
    void fixturesHoldEveryMessageTypeThatRealClientsAndServersSent() {
        Set<Class<?>> seen = new HashSet<>();
        for (Fixture fixture : Fixture.all()) {
            Conversation conversation = new Conversation(fixture);
            Conversation.decodeClient(conversation.clientChunks(), UNTRACKED).forEach(m -> seen.add(m.getClass()));
            conversation.decodeServer(conversation.serverChunks(), UNTRACKED).forEach(m -> seen.add(m.getClass()));
        }
        // What the recorded sessions produced; the README says which session brings which.
        assertThat(seen).contains(
                StartupMessage.class, SSLRequest.class, GSSENCRequest.class, CancelRequest.class,
                Bind.class, Close.class, CopyData.class, CopyDone.class, CopyFail.class, Describe.class,
                Execute.class, Flush.class, FunctionCall.class, Parse.class, PasswordMessage.class,
                Query.class, Sync.class, Terminate.class,
                SSLResponse.class, GSSENCResponse.class,
                AuthenticationOk.class, AuthenticationCleartextPassword.class, AuthenticationMD5Password.class,
                AuthenticationGSS.class, AuthenticationSASL.class, AuthenticationSASLContinue.class,
                AuthenticationSASLFinal.class, BackendKeyData.class, BindComplete.class, CloseComplete.class,
                CommandComplete.class, CopyInResponse.class, CopyOutResponse.class, CopyBothResponse.class,
                DataRow.class, EmptyQueryResponse.class, ErrorResponse.class, FunctionCallResponse.class,
                NegotiateProtocolVersion.class, NoData.class, NoticeResponse.class, NotificationResponse.class,
                ParameterDescription.class, ParameterStatus.class, ParseComplete.class, PortalSuspended.class,
                ReadyForQuery.class, RowDescription.class);
    }
}
