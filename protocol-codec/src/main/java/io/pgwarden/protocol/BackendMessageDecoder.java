package io.pgwarden.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.CopyData;
import io.pgwarden.protocol.message.CopyDone;
import io.pgwarden.protocol.message.Message;
import io.pgwarden.protocol.message.backend.AuthenticationCleartextPassword;
import io.pgwarden.protocol.message.backend.AuthenticationGSS;
import io.pgwarden.protocol.message.backend.AuthenticationGSSContinue;
import io.pgwarden.protocol.message.backend.AuthenticationKerberosV5;
import io.pgwarden.protocol.message.backend.AuthenticationMD5Password;
import io.pgwarden.protocol.message.backend.AuthenticationOk;
import io.pgwarden.protocol.message.backend.AuthenticationSASL;
import io.pgwarden.protocol.message.backend.AuthenticationSASLContinue;
import io.pgwarden.protocol.message.backend.AuthenticationSASLFinal;
import io.pgwarden.protocol.message.backend.AuthenticationSSPI;
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
import java.util.List;

/**
 * Decodes what a server sends into {@link BackendMessage}s. A backend is untrusted: lengths
 * are checked against {@code maxMessageLength} as soon as a header is readable, bodies are
 * bounds-checked, and any violation raises a {@link ProtocolException}, after which the decoder
 * discards everything it has and will receive.
 *
 * <p>The answer to an SSLRequest or GSSENCRequest is a single untyped byte. Whoever sends the
 * request calls {@link #expectSSLResponse()} or {@link #expectGSSENCResponse()} first; the
 * next byte is then decoded as {@link SSLResponse} or {@link GSSENCResponse}. Bytes that arrive
 * together with a willing answer are rejected: the server cannot have sent them after the
 * handshake, so they may have been injected (CVE-2021-23222). An {@code 'E'} in place of the
 * answer is decoded as the ErrorResponse it is.
 */
public final class BackendMessageDecoder extends ByteToMessageDecoder {

    private enum State { REGULAR, SSL_RESPONSE, GSSENC_RESPONSE, FAILED }

    private final int maxMessageLength;
    private State state = State.REGULAR;

    /**
     * @param maxMessageLength the largest accepted length field of a message (which counts
     *        itself and the body), at least 4
     */
    public BackendMessageDecoder(int maxMessageLength) {
        this.maxMessageLength = RegularFraming.requireValidMaxMessageLength(maxMessageLength);
    }

    /** The next byte from the server answers an SSLRequest. Call before sending the request. */
    public void expectSSLResponse() {
        expect(State.SSL_RESPONSE);
    }

    /** The next byte from the server answers a GSSENCRequest. Call before sending the request. */
    public void expectGSSENCResponse() {
        expect(State.GSSENC_RESPONSE);
    }

    private void expect(State awaited) {
        if (state != State.FAILED) {
            state = awaited;
        }
    }

    /** The bytes held back for an incomplete message: bounded by the length limit. */
    int bufferedBytes() {
        return actualReadableBytes();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (state == State.FAILED) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            switch (state) {
                case REGULAR -> decodeRegularPhase(in, out);
                case SSL_RESPONSE -> decodeEncryptionResponse(in, out, "SSL");
                case GSSENC_RESPONSE -> decodeEncryptionResponse(in, out, "GSSAPI encryption");
                default -> throw new IllegalStateException(state.name());
            }
        } catch (RuntimeException e) {
            state = State.FAILED;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private void decodeEncryptionResponse(ByteBuf in, List<Object> out, String what) {
        if (!in.isReadable()) {
            return;
        }
        byte code = in.getByte(in.readerIndex());
        BackendMessage response = state == State.SSL_RESPONSE ? SSLResponse.fromCode(code) : GSSENCResponse.fromCode(code);
        state = State.REGULAR;
        if (response == null) {
            if (code == ErrorResponse.TYPE) {
                decodeRegularPhase(in, out);
                return;
            }
            throw new ProtocolException("received invalid response to " + what + " negotiation: "
                    + Message.describeType(code));
        }
        in.skipBytes(1);
        boolean willing = response == SSLResponse.WILLING || response == GSSENCResponse.WILLING;
        if (willing && in.isReadable()) {
            throw new ProtocolException("received unencrypted data after " + what + " response");
        }
        out.add(response);
    }

    private void decodeRegularPhase(ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        byte type = in.getByte(in.readerIndex());
        if (!isMessageType(type)) {
            throw invalidType(type);
        }
        ByteBuf body = RegularFraming.nextBody(in, maxMessageLength);
        if (body != null) {
            out.add(decodeMessage(type, body));
        }
    }

    /**
     * Decodes one message from its body, for callers that framed it themselves (the
     * forwarding path scans in place and decodes only what it must).
     *
     * @throws ProtocolException if the type is not a backend message type or the body is malformed
     */
    public static BackendMessage decodeMessage(byte type, ByteBuf body) {
        return switch (type) {
            case AuthenticationOk.TYPE -> decodeAuthentication(body);
            case BackendKeyData.TYPE -> BackendKeyData.decode(body);
            case BindComplete.TYPE -> BindComplete.decode(body);
            case CloseComplete.TYPE -> CloseComplete.decode(body);
            case CommandComplete.TYPE -> CommandComplete.decode(body);
            case CopyData.TYPE -> CopyData.decode(body);
            case CopyDone.TYPE -> CopyDone.decode(body);
            case CopyInResponse.TYPE -> CopyInResponse.decode(body);
            case CopyOutResponse.TYPE -> CopyOutResponse.decode(body);
            case CopyBothResponse.TYPE -> CopyBothResponse.decode(body);
            case DataRow.TYPE -> DataRow.decode(body);
            case EmptyQueryResponse.TYPE -> EmptyQueryResponse.decode(body);
            case ErrorResponse.TYPE -> ErrorResponse.decode(body);
            case FunctionCallResponse.TYPE -> FunctionCallResponse.decode(body);
            case NegotiateProtocolVersion.TYPE -> NegotiateProtocolVersion.decode(body);
            case NoData.TYPE -> NoData.decode(body);
            case NoticeResponse.TYPE -> NoticeResponse.decode(body);
            case NotificationResponse.TYPE -> NotificationResponse.decode(body);
            case ParameterDescription.TYPE -> ParameterDescription.decode(body);
            case ParameterStatus.TYPE -> ParameterStatus.decode(body);
            case ParseComplete.TYPE -> ParseComplete.decode(body);
            case PortalSuspended.TYPE -> PortalSuspended.decode(body);
            case ReadyForQuery.TYPE -> ReadyForQuery.decode(body);
            case RowDescription.TYPE -> RowDescription.decode(body);
            default -> throw invalidType(type);
        };
    }

    private static BackendMessage decodeAuthentication(ByteBuf body) {
        if (body.readableBytes() < 4) {
            throw new ProtocolException("malformed authentication request: no request code");
        }
        int code = body.getInt(body.readerIndex());
        return switch (code) {
            case AuthenticationOk.CODE -> AuthenticationOk.decode(body);
            case AuthenticationKerberosV5.CODE -> AuthenticationKerberosV5.decode(body);
            case AuthenticationCleartextPassword.CODE -> AuthenticationCleartextPassword.decode(body);
            case AuthenticationMD5Password.CODE -> AuthenticationMD5Password.decode(body);
            case AuthenticationGSS.CODE -> AuthenticationGSS.decode(body);
            case AuthenticationGSSContinue.CODE -> AuthenticationGSSContinue.decode(body);
            case AuthenticationSSPI.CODE -> AuthenticationSSPI.decode(body);
            case AuthenticationSASL.CODE -> AuthenticationSASL.decode(body);
            case AuthenticationSASLContinue.CODE -> AuthenticationSASLContinue.decode(body);
            case AuthenticationSASLFinal.CODE -> AuthenticationSASLFinal.decode(body);
            default -> throw new ProtocolException("unsupported authentication request code " + code);
        };
    }

    private static boolean isMessageType(byte type) {
        return switch (type) {
            case AuthenticationOk.TYPE, BackendKeyData.TYPE, BindComplete.TYPE, CloseComplete.TYPE,
                    CommandComplete.TYPE, CopyData.TYPE, CopyDone.TYPE, CopyInResponse.TYPE,
                    CopyOutResponse.TYPE, CopyBothResponse.TYPE, DataRow.TYPE, EmptyQueryResponse.TYPE,
                    ErrorResponse.TYPE, FunctionCallResponse.TYPE, NegotiateProtocolVersion.TYPE,
                    NoData.TYPE, NoticeResponse.TYPE, NotificationResponse.TYPE, ParameterDescription.TYPE,
                    ParameterStatus.TYPE, ParseComplete.TYPE, PortalSuspended.TYPE, ReadyForQuery.TYPE,
                    RowDescription.TYPE -> true;
            default -> false;
        };
    }

    private static ProtocolException invalidType(byte type) {
        return new ProtocolException("invalid backend message type " + Message.describeType(type));
    }
}
