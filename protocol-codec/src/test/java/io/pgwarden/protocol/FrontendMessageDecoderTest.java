package io.pgwarden.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgwarden.protocol.message.Bytes;
import io.pgwarden.protocol.message.ProtocolVersion;
import io.pgwarden.protocol.message.frontend.CancelRequest;
import io.pgwarden.protocol.message.frontend.GSSENCRequest;
import io.pgwarden.protocol.message.frontend.Query;
import io.pgwarden.protocol.message.frontend.SSLRequest;
import io.pgwarden.protocol.message.frontend.StartupMessage;
import io.pgwarden.protocol.message.frontend.Sync;
import io.pgwarden.protocol.message.frontend.Terminate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrontendMessageDecoderTest {
    private static final int MAX = 1024;
    private static final String STARTUP = "00000012 00030000 7573657200 626f6200 00";
    private static final String QUERY = "51 0000000d 53454c454354203100";
    private static final String SYNC = "53 00000004";

    private static ProtocolException protocolViolation(Wire wire, String hex) {
        ProtocolException e = org.junit.jupiter.api.Assertions.assertThrows(ProtocolException.class, () -> wire.write(hex));
        assertThat(e.sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
        return e;
    }

    // ---- startup phase ----

    @Test
    void startupMessageAndTheMessagesAfterItInTheSameReadAreAllDecoded() {
        FrontendMessageDecoder decoder = new FrontendMessageDecoder(MAX);
        Wire wire = Wire.of(decoder);
        wire.finishAfter(w -> {
            assertThat(w.write(STARTUP + QUERY + SYNC).messages()).containsExactly(
                    StartupMessage.of(ProtocolVersion.V3_0, Map.of("user", "bob")), new Query("SELECT 1"), Sync.INSTANCE);
            assertThat(decoder.isRegularPhase()).isTrue();
            assertThat(decoder.bufferedBytes()).isZero();
        });
    }

    @Test
    void startupMessageFollowedByHalfAMessageKeepsOnlyTheHalf() {
        FrontendMessageDecoder decoder = new FrontendMessageDecoder(MAX);
        Wire wire = Wire.of(decoder);
        wire.finishAfter(w -> {
            assertThat(w.write(STARTUP + "51 0000000d 5345").messages()).hasSize(1);
            assertThat(decoder.bufferedBytes()).isEqualTo(7);
            assertThat(w.write("4c454354203100").messages()).containsExactly(new Query("SELECT 1"));
        });
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {-2147483648, -1, 0, 3, 4, 7})
    void startupPacketShorterThanEightBytesIsRejected(int length) {
        Wire wire = Wire.of(new FrontendMessageDecoder(MAX));
        wire.finishAfter(w -> assertThat(protocolViolation(w, String.format("%08x", length)))
                .hasMessage("invalid length " + length + " of startup packet"));
    }

    @Test
    void startupPacketOverThePostgresLimitIsRejectedFromItsLengthWordAlone() {
        FrontendMessageDecoder decoder = new FrontendMessageDecoder(MAX);
        Wire wire = Wire.of(decoder);
        wire.finishAfter(w -> {
            assertThat(protocolViolation(w, "0000271 5".replace(" ", ""))).hasMessage("invalid length 10005 of startup packet");
            assertThat(decoder.bufferedBytes()).isZero();
        });
    }

    @Test
    void startupPacketOfExactlyThePostgresLimitIsAccepted() {
        // 10,000 bytes after the length word: version, "user\0", "bob\0", "options\0", value, final NUL.
        int valueLength = 10_000 - 4 - 5 - 4 - 8 - 1 - 1;
        StartupMessage big = StartupMessage.of(ProtocolVersion.V3_0,
                new java.util.LinkedHashMap<>(Map.of("user", "bob")))
                .withParameter("options", "x".repeat(valueLength));
        assertThat(big.encodedLength()).isEqualTo(10_004);
        Wire wire = Wire.of(new FrontendMessageDecoder(MAX));
        wire.finishAfter(w -> assertThat(w.write(Conversation.encode(java.util.List.of(big),
                io.netty.buffer.ByteBufAllocator.DEFAULT)).messages()).containsExactly(big));
    }

    @Test
    void sslRequestAloneIsDecodedAndTheStartupMessageMayFollowInALaterRead() {
        Wire wire = Wire.of(new FrontendMessageDecoder(MAX));
        wire.finishAfter(w -> {
            assertThat(w.write("00000008 04d2162f").messages()).containsExactly(SSLRequest.INSTANCE);
            assertThat(w.write(STARTUP).messages()).hasSize(1).first().isInstanceOf(StartupMessage.class);
        });
    }

    @Test
    void bytesArrivingWithAnSslRequestAreRejectedAsPossiblyInjected() {
        Wire wire = Wire.of(new FrontendMessageDecoder(MAX));
        wire.finishAfter(w -> {
            assertThat(protocolViolation(w, "00000008 04d2162f" + STARTUP))
                    .hasMessage("received unencrypted data after SSL request");
            assertThat(w.messages()).isEmpty();
        });
    }

    @Test
    void bytesArrivingWithAGssEncRequestAreRejectedAsPossiblyInjected() {
        Wire wire = Wire.of(new FrontendMessageDecoder(MAX));
        wire.finishAfter(w -> assertThat(protocolViolation(w, "00000008 04d21630 00"))
                .hasMessage("received unencrypted data after GSSAPI encryption request"));
    }

    @Test
    void gssEncRequestThenSslRequestThenStartupIsTheLibpqFallbackAndDecodes() {
        Wire wire = Wire.of(new FrontendMessageDecoder(MAX));
        wire.finishAfter(w -> {
            assertThat(w.write("00000008 04d21630").messages()).containsExactly(GSSENCRequest.INSTANCE);
            assertThat(w.write("00000008 04d2162f").messages()).containsExactly(SSLRequest.INSTANCE);
            assertThat(w.write(STARTUP).messages()).hasSize(1);
        });
    }

    @Test
    void secondSslRequestIsRejected() {
        Wire wire = Wire.of(new FrontendMessageDecoder(MAX));
        wire.finishAfter(w -> {
            assertThat(w.write("00000008 04d2162f").messages()).containsExactly(SSLRequest.INSTANCE);
            assertThat(protocolViolation(w, "00000008 04d2162f")).hasMessage("SSLRequest received twice");
        });
    }

    @Test
    void sslRequestWithExtraBytesInsideItsLengthIsMalformed() {
        Wire wire = Wire.of(new FrontendMessageDecoder(MAX));
        wire.finishAfter(w -> assertThat(protocolViolation(w, "0000000c 04d2162f 00000000"))
                .hasMessageContaining("malformed SSLRequest"));
    }

    @Test
    void cancelRequestWithA32ByteKeyOfProtocol32IsDecoded() {
        Wire wire = Wire.of(new FrontendMessageDecoder(MAX));
        wire.finishAfter(w -> assertThat(w.write("0000002c 04d2162e 00003039" + "ab".repeat(32)).messages())
                .containsExactly(new CancelRequest(12345, Bytes.of(Hex.bytes("ab".repeat(32))))));
    }

    @ParameterizedTest(name = "key of {0} bytes")
    @ValueSource(ints = {0, 3, 257})
    void cancelRequestWithAKeyOutsideFourTo256BytesIsRejected(int keyLength) {
        Wire wire = Wire.of(new FrontendMessageDecoder(MAX));
        wire.finishAfter(w -> assertThat(protocolViolation(w,
                String.format("%08x", 12 + keyLength) + "04d2162e 00003039" + "ab".repeat(keyLength)))
                .hasMessageContaining("secret key of " + keyLength + " bytes"));
    }

    @Test
    void anythingAfterACancelRequestIsRejected() {
        Wire wire = Wire.of(new FrontendMessageDecoder(MAX));
        wire.finishAfter(w -> {
            assertThat(protocolViolation(w, "00000010 04d2162e 00003039 12345678" + SYNC))
                    .hasMessage("unexpected data after CancelRequest");
            // The cancel request itself was complete and is delivered.
            assertThat(w.messages()).containsExactly(CancelRequest.of(12345, 0x12345678));
        });
    }

    @Test
    void protocol32StartupIsDecodedWithItsVersion() {
        Wire wire = Wire.of(new FrontendMessageDecoder(MAX));
        wire.finishAfter(w -> {
            StartupMessage startup = (StartupMessage) w.write("00000012 00030002 7573657200 626f6200 00").messages().get(0);
            assertThat(startup.protocolVersion()).isEqualTo(ProtocolVersion.V3_2);
            assertThat(startup.protocolVersion().code()).isEqualTo(196610);
        });
    }

    @Test
    void unknownMinorVersionAndProtocolOptionsArePassedOnForNegotiateProtocolVersion() {
        Wire wire = Wire.of(new FrontendMessageDecoder(MAX));
        wire.finishAfter(w -> {
            StartupMessage startup = (StartupMessage) w.write(
                    "0000001e 00030063 7573657200 626f6200 5f70715f2e78797a00 6f6e00 00").messages().get(0);
            assertThat(startup.protocolVersion()).isEqualTo(new ProtocolVersion(3, 99));
            assertThat(startup.protocolOptions()).containsExactly(new StartupMessage.Parameter("_pq_.xyz", "on"));
        });
    }

    @ParameterizedTest(name = "version code {0}")
    @ValueSource(strings = {"00020000", "00040000", "04d2162d", "00000000"})
    void startupWithAMajorVersionOtherThanThreeIsRefusedAsNotSupported(String versionHex) {
        Wire wire = Wire.of(new FrontendMessageDecoder(MAX));
        wire.finishAfter(w -> {
            ProtocolException e = org.junit.jupiter.api.Assertions.assertThrows(ProtocolException.class,
                    () -> w.write("00000012" + versionHex + "7573657200 626f6200 00"));
            assertThat(e.sqlState()).isEqualTo(SqlState.FEATURE_NOT_SUPPORTED);
            assertThat(e).hasMessageStartingWith("unsupported frontend protocol " + ProtocolVersion.fromCode(
                    Integer.parseUnsignedInt(versionHex, 16)));
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "0000000e 00030000 7573657200 00", // a name without a value
            "00000011 00030000 7573657200 626f6200", // no final terminator
            "00000013 00030000 7573657200 626f6200 00 00", // bytes after the terminator
            "0000000b 00030000 757365", // a name without NUL
            "00000008 00030000"}) // nothing after the version, not even the terminator
    void startupMessageWithABrokenParameterListIsRejected(String hex) {
        Wire wire = Wire.of(new FrontendMessageDecoder(MAX));
        wire.finishAfter(w -> assertThat(protocolViolation(w, hex))
                .hasMessage("invalid startup packet layout: expected terminator as last byte"));
    }

    // ---- regular phase ----

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {-2147483648, -1, 0, 3})
    void messageLengthBelowFourIsRejected(int length) {
        Wire wire = Wire.of(FrontendMessageDecoder.afterStartup(MAX));
        wire.finishAfter(w -> assertThat(protocolViolation(w, "51" + String.format("%08x", length)))
                .hasMessage("invalid message length " + length + " for message type 'Q'"));
    }

    @Test
    void oversizedMessageIsRejectedAsSoonAsItsHeaderIsReadNeverBuffered() {
        FrontendMessageDecoder decoder = FrontendMessageDecoder.afterStartup(MAX);
        Wire wire = Wire.of(decoder);
        wire.finishAfter(w -> {
            w.write("51 0000");
            assertThat(decoder.bufferedBytes()).isEqualTo(3);
            assertThat(protocolViolation(w, "0401"))
                    .hasMessage("message length 1025 for message type 'Q' exceeds the limit of 1024 bytes");
            assertThat(decoder.bufferedBytes()).isZero();
        });
    }

    @Test
    void messageOfExactlyTheMaximumLengthIsAccepted() {
        String query = "41".repeat(MAX - 5);
        Wire wire = Wire.of(FrontendMessageDecoder.afterStartup(MAX));
        wire.finishAfter(w -> assertThat(w.write("51 00000400" + query + "00").messages())
                .containsExactly(new Query("A".repeat(MAX - 5))));
    }

    @Test
    void unknownMessageTypeIsRejectedOnItsFirstByte() {
        Wire wire = Wire.of(FrontendMessageDecoder.afterStartup(MAX));
        wire.finishAfter(w -> assertThat(protocolViolation(w, "5a")).hasMessage("invalid frontend message type 'Z'"));
    }

    @Test
    void unprintableTypeByteIsShownInHex() {
        Wire wire = Wire.of(FrontendMessageDecoder.afterStartup(MAX));
        wire.finishAfter(w -> assertThat(protocolViolation(w, "00")).hasMessage("invalid frontend message type 0x00"));
    }

    @Test
    void backendOnlyTypesAreNotAcceptedFromAClient() {
        // 'Z' ReadyForQuery and 'T' RowDescription are backend messages; 'D' would be Describe.
        Wire wire = Wire.of(FrontendMessageDecoder.afterStartup(MAX));
        wire.finishAfter(w -> protocolViolation(w, "54 00000006 0000"));
    }

    @Test
    void afterAViolationEverythingIsDiscardedAndNothingMoreIsDecoded() {
        FrontendMessageDecoder decoder = FrontendMessageDecoder.afterStartup(MAX);
        Wire wire = Wire.of(decoder);
        wire.finishAfter(w -> {
            protocolViolation(w, SYNC + "51 00000002" + QUERY);
            assertThat(w.messages()).containsExactly(Sync.INSTANCE);
            w.write(QUERY + QUERY + "58 00000004");
            assertThat(w.messages()).isEmpty();
            assertThat(decoder.bufferedBytes()).isZero();
        });
    }

    @Test
    void violationReachesThePipelineAsTheProtocolExceptionItselfNotWrapped() {
        Wire wire = Wire.of(FrontendMessageDecoder.afterStartup(MAX));
        wire.finishAfter(w -> assertThatThrownBy(() -> w.write("51 00000003"))
                .isExactlyInstanceOf(ProtocolException.class));
    }

    @Test
    void messageWithBytesBeyondItsFieldsIsRejectedRatherThanSilentlyTruncated() {
        Wire wire = Wire.of(FrontendMessageDecoder.afterStartup(MAX));
        wire.finishAfter(w -> assertThat(protocolViolation(w, "53 00000005 00"))
                .hasMessage("malformed Sync message: 1 unexpected trailing bytes"));
    }

    @Test
    void decoderForAnEstablishedSessionTakesTypedMessagesFromTheFirstByte() {
        Wire wire = Wire.of(FrontendMessageDecoder.afterStartup(MAX));
        wire.finishAfter(w -> assertThat(w.write(QUERY + "58 00000004").messages())
                .containsExactly(new Query("SELECT 1"), Terminate.INSTANCE));
    }

    @Test
    void maximumLengthBelowFourIsAConfigurationError() {
        assertThatThrownBy(() -> new FrontendMessageDecoder(3)).isInstanceOf(IllegalArgumentException.class);
    }
}
