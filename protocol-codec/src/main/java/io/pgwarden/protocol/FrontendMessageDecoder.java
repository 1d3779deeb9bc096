package io.pgwarden.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.pgwarden.protocol.message.CopyData;
import io.pgwarden.protocol.message.CopyDone;
import io.pgwarden.protocol.message.FrontendMessage;
import io.pgwarden.protocol.message.Message;
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
import java.util.List;

/**
 * Decodes what a client sends into {@link FrontendMessage}s, through both phases of a
 * connection.
 *
 * <p>Startup phase (untyped packets: Int32 length, Int32 code): SSLRequest, GSSENCRequest,
 * CancelRequest and StartupMessage, at most {@value ProtocolLimits#MAX_STARTUP_PACKET_LENGTH}
 * bytes after the length word, as PostgreSQL allows. Exactly one packet is taken per length;
 * after a StartupMessage the decoder moves to the regular phase by itself, so bytes that
 * arrive in the same read are decoded as the messages they are.
 *
 * <p>Regular phase (type byte, Int32 length): the messages of {@link #decodeMessage}, with the
 * length field at most {@code maxMessageLength}. A {@code 'p'} message is decoded as a raw
 * {@link PasswordMessage}, since only the authentication exchange tells which of its four
 * meanings it has.
 *
 * <p>Any violation raises a {@link ProtocolException} whose message can be sent to the client
 * in an ErrorResponse; the decoder then discards everything it has and will receive, and the
 * connection should be closed. Rejected too, as PostgreSQL does:
 * <ul>
 *   <li>bytes that arrive together with an SSLRequest or GSSENCRequest, before its answer: the
 *       client cannot have sent them after the answer, so they were not protected by the
 *       encryption it asked for and may have been injected (CVE-2021-23214);</li>
 *   <li>a second SSLRequest or GSSENCRequest, and anything after a CancelRequest;</li>
 *   <li>a StartupMessage whose major version is not 3 (with SQLSTATE 0A000); minor versions
 *       are passed on, so the proxy can answer NegotiateProtocolVersion.</li>
 * </ul>
 */
public final class FrontendMessageDecoder extends ByteToMessageDecoder {

    private enum State { STARTUP, REGULAR, CANCEL_REQUESTED, FAILED }

    private final int maxMessageLength;
    private State state;
    private boolean sslRequested;
    private boolean gssEncRequested;

    /**
     * A decoder for a new client connection, starting in the startup phase.
     *
     * @param maxMessageLength the largest accepted length field of a regular message (which
     *        counts itself and the body), at least 4
     */
    public FrontendMessageDecoder(int maxMessageLength) {
        this(maxMessageLength, State.STARTUP);
    }

    private FrontendMessageDecoder(int maxMessageLength, State state) {
        this.maxMessageLength = RegularFraming.requireValidMaxMessageLength(maxMessageLength);
        this.state = state;
    }

    /** A decoder for a connection whose startup phase is over: it expects typed messages only. */
    public static FrontendMessageDecoder afterStartup(int maxMessageLength) {
        return new FrontendMessageDecoder(maxMessageLength, State.REGULAR);
    }

    /** Whether the startup phase is over and typed messages are expected. */
    public boolean isRegularPhase() {
        return state == State.REGULAR;
    }

    /** The bytes held back for an incomplete message: bounded by the length limits. */
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
                case STARTUP -> decodeStartupPhase(in, out);
                case REGULAR -> decodeRegularPhase(in, out);
                case CANCEL_REQUESTED -> throw new ProtocolException("unexpected data after CancelRequest");
                default -> throw new IllegalStateException(state.name());
            }
        } catch (RuntimeException e) {
            state = State.FAILED;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private void decodeStartupPhase(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 4) {
            return;
        }
        int length = in.getInt(in.readerIndex());
        if (length < ProtocolLimits.MIN_STARTUP_PACKET_LENGTH
                || length - 4 > ProtocolLimits.MAX_STARTUP_PACKET_LENGTH) {
            throw new ProtocolException("invalid length " + length + " of startup packet");
        }
        if (in.readableBytes() < length) {
            return;
        }
        in.skipBytes(4);
        FrontendMessage packet = decodeStartupPacket(in.readSlice(length - 4));
        if (packet == SSLRequest.INSTANCE) {
            if (sslRequested) {
                throw new ProtocolException("SSLRequest received twice");
            }
            sslRequested = true;
            if (in.isReadable()) {
                throw new ProtocolException("received unencrypted data after SSL request");
            }
        } else if (packet == GSSENCRequest.INSTANCE) {
            if (gssEncRequested) {
                throw new ProtocolException("GSSENCRequest received twice");
            }
            gssEncRequested = true;
            if (in.isReadable()) {
                throw new ProtocolException("received unencrypted data after GSSAPI encryption request");
            }
        } else if (packet instanceof CancelRequest) {
            state = State.CANCEL_REQUESTED;
        } else {
            state = State.REGULAR;
        }
        out.add(packet);
    }

    private void decodeRegularPhase(ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        byte type = in.getByte(in.readerIndex());
        if (!isMessageType(type)) {
            // Refused on its first byte: no point in waiting for a length.
            throw invalidType(type);
        }
        ByteBuf body = RegularFraming.nextBody(in, maxMessageLength);
        if (body != null) {
            out.add(decodeMessage(type, body));
        }
    }

    /**
     * Decodes one startup packet from the bytes after its length word.
     *
     * @throws ProtocolException if the packet is malformed or asks for an unsupported protocol
     */
    public static FrontendMessage decodeStartupPacket(ByteBuf body) {
        if (body.readableBytes() < 4) {
            throw new ProtocolException("invalid length " + (body.readableBytes() + 4) + " of startup packet");
        }
        return switch (body.getInt(body.readerIndex())) {
            case SSLRequest.CODE -> SSLRequest.decode(body);
            case GSSENCRequest.CODE -> GSSENCRequest.decode(body);
            case CancelRequest.CODE -> CancelRequest.decode(body);
            default -> StartupMessage.decode(body);
        };
    }

    /**
     * Decodes one regular-phase message from its body, for callers that framed it themselves.
     *
     * @throws ProtocolException if the type is not a frontend message type or the body is malformed
     */
    public static FrontendMessage decodeMessage(byte type, ByteBuf body) {
        return switch (type) {
            case Bind.TYPE -> Bind.decode(body);
            case Close.TYPE -> Close.decode(body);
            case CopyData.TYPE -> CopyData.decode(body);
            case CopyDone.TYPE -> CopyDone.decode(body);
            case CopyFail.TYPE -> CopyFail.decode(body);
            case Describe.TYPE -> Describe.decode(body);
            case Execute.TYPE -> Execute.decode(body);
            case Flush.TYPE -> Flush.decode(body);
            case FunctionCall.TYPE -> FunctionCall.decode(body);
            case Parse.TYPE -> Parse.decode(body);
            case PasswordMessage.TYPE -> PasswordMessage.decode(body);
            case Query.TYPE -> Query.decode(body);
            case Sync.TYPE -> Sync.decode(body);
            case Terminate.TYPE -> Terminate.decode(body);
            default -> throw invalidType(type);
        };
    }

    private static boolean isMessageType(byte type) {
        return switch (type) {
            case Bind.TYPE, Close.TYPE, CopyData.TYPE, CopyDone.TYPE, CopyFail.TYPE, Describe.TYPE,
                    Execute.TYPE, Flush.TYPE, FunctionCall.TYPE, Parse.TYPE, PasswordMessage.TYPE,
                    Query.TYPE, Sync.TYPE, Terminate.TYPE -> true;
            default -> false;
        };
    }

    private static ProtocolException invalidType(byte type) {
        return new ProtocolException("invalid frontend message type " + Message.describeType(type));
    }
}
