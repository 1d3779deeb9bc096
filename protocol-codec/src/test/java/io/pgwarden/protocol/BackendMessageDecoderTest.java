package io.pgwarden.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgwarden.protocol.message.backend.AuthenticationOk;
import io.pgwarden.protocol.message.backend.ErrorResponse;
import io.pgwarden.protocol.message.backend.GSSENCResponse;
import io.pgwarden.protocol.message.backend.NoticeResponse;
import io.pgwarden.protocol.message.backend.ReadyForQuery;
import io.pgwarden.protocol.message.backend.SSLResponse;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackendMessageDecoderTest {
    private static final int MAX = 1024;
    private static final String AUTHENTICATION_OK = "52 00000008 00000000";
    private static final String READY_FOR_QUERY = "5a 00000005 49";

    private static ProtocolException protocolViolation(Wire wire, String hex) {
        ProtocolException e = Assertions.assertThrows(ProtocolException.class, () -> wire.write(hex));
        assertThat(e.sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
        return e;
    }

    @Test
    void refusedSslIsFollowedByRegularMessages() {
        BackendMessageDecoder decoder = new BackendMessageDecoder(MAX);
        decoder.expectSSLResponse();
        Wire wire = Wire.of(decoder);
        wire.finishAfter(w -> assertThat(w.write("4e" + AUTHENTICATION_OK + READY_FOR_QUERY).messages())
                .containsExactly(SSLResponse.UNWILLING, AuthenticationOk.INSTANCE, ReadyForQuery.IDLE));
    }

    @Test
    void willingSslAnswerAloneIsDecoded() {
        BackendMessageDecoder decoder = new BackendMessageDecoder(MAX);
        decoder.expectSSLResponse();
        Wire wire = Wire.of(decoder);
        wire.finishAfter(w -> assertThat(w.write("53").messages()).containsExactly(SSLResponse.WILLING));
    }

    @Test
    void bytesArrivingWithAWillingSslAnswerAreRejectedAsPossiblyInjected() {
        BackendMessageDecoder decoder = new BackendMessageDecoder(MAX);
        decoder.expectSSLResponse();
        Wire wire = Wire.of(decoder);
        wire.finishAfter(w -> {
            assertThat(protocolViolation(w, "53" + AUTHENTICATION_OK)).hasMessage("received unencrypted data after SSL response");
            assertThat(w.messages()).isEmpty();
        });
    }

    @Test
    void bytesArrivingWithAWillingGssEncAnswerAreRejectedAsPossiblyInjected() {
        BackendMessageDecoder decoder = new BackendMessageDecoder(MAX);
        decoder.expectGSSENCResponse();
        Wire wire = Wire.of(decoder);
        wire.finishAfter(w -> assertThat(protocolViolation(w, "47 00"))
                .hasMessage("received unencrypted data after GSSAPI encryption response"));
    }

    @Test
    void gssEncAnswersAreDecodedWhenExpected() {
        BackendMessageDecoder decoder = new BackendMessageDecoder(MAX);
        Wire wire = Wire.of(decoder);
        wire.finishAfter(w -> {
            decoder.expectGSSENCResponse();
            assertThat(w.write("4e").messages()).containsExactly(GSSENCResponse.UNWILLING);
            decoder.expectSSLResponse();
            assertThat(w.write("4e").messages()).containsExactly(SSLResponse.UNWILLING);
        });
    }

    @Test
    void errorResponseInPlaceOfTheSslAnswerIsDecodedAsTheErrorItIs() {
        BackendMessageDecoder decoder = new BackendMessageDecoder(MAX);
        decoder.expectSSLResponse();
        Wire wire = Wire.of(decoder);
        wire.finishAfter(w -> assertThat(w.write("45 00000009 4d 6e6f00 00").messages()).singleElement()
                .isInstanceOfSatisfying(ErrorResponse.class, e -> assertThat(e.message()).hasValue("no")));
    }

    @Test
    void anyOtherSslAnswerIsRejected() {
        BackendMessageDecoder decoder = new BackendMessageDecoder(MAX);
        decoder.expectSSLResponse();
        Wire wire = Wire.of(decoder);
        wire.finishAfter(w -> assertThat(protocolViolation(w, "16 0303"))
                .hasMessage("received invalid response to SSL negotiation: 0x16"));
    }

    @Test
    void withoutAnSslRequestAnNIsANoticeResponse() {
        Wire wire = Wire.of(new BackendMessageDecoder(MAX));
        wire.finishAfter(w -> assertThat(w.write("4e 00000009 4d 686900 00").messages()).singleElement()
                .isInstanceOf(NoticeResponse.class));
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {-2147483648, -1, 0, 3})
    void messageLengthBelowFourIsRejected(int length) {
        Wire wire = Wire.of(new BackendMessageDecoder(MAX));
        wire.finishAfter(w -> assertThat(protocolViolation(w, "44" + String.format("%08x", length)))
                .hasMessage("invalid message length " + length + " for message type 'D'"));
    }

    @Test
    void oversizedMessageFromABackendIsRejectedFromItsHeaderAlone() {
        BackendMessageDecoder decoder = new BackendMessageDecoder(MAX);
        Wire wire = Wire.of(decoder);
        wire.finishAfter(w -> {
            assertThat(protocolViolation(w, "44 7fffffff"))
                    .hasMessage("message length 2147483647 for message type 'D' exceeds the limit of 1024 bytes");
            assertThat(decoder.bufferedBytes()).isZero();
        });
    }

    @Test
    void unknownMessageTypeIsRejectedOnItsFirstByte() {
        Wire wire = Wire.of(new BackendMessageDecoder(MAX));
        wire.finishAfter(w -> assertThat(protocolViolation(w, "78")).hasMessage("invalid backend message type 'x'"));
    }

    @Test
    void frontendOnlyTypesAreNotAcceptedFromABackend() {
        // 'Q' Query and 'B' Bind are frontend messages.
        Wire wire = Wire.of(new BackendMessageDecoder(MAX));
        wire.finishAfter(w -> protocolViolation(w, "51 00000005 00"));
    }

    @Test
    void unknownAuthenticationRequestIsRejected() {
        Wire wire = Wire.of(new BackendMessageDecoder(MAX));
        wire.finishAfter(w -> assertThat(protocolViolation(w, "52 00000008 00000006"))
                .hasMessage("unsupported authentication request code 6"));
    }

    @Test
    void afterAViolationEverythingIsDiscarded() {
        BackendMessageDecoder decoder = new BackendMessageDecoder(MAX);
        Wire wire = Wire.of(decoder);
        wire.finishAfter(w -> {
            protocolViolation(w, READY_FOR_QUERY + "5a 00000006 4900" + READY_FOR_QUERY);
            assertThat(w.messages()).containsExactly(ReadyForQuery.IDLE);
            w.write(READY_FOR_QUERY);
            decoder.expectSSLResponse();
            w.write("4e");
            assertThat(w.messages()).isEmpty();
            assertThat(decoder.bufferedBytes()).isZero();
        });
    }
}
