package io.pgwarden.proxy.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.pgwarden.protocol.error.Severity;
import io.pgwarden.protocol.message.BackendMessage;
import io.pgwarden.protocol.message.backend.AuthenticationSASL;
import io.pgwarden.protocol.message.backend.BackendKeyData;
import io.pgwarden.protocol.message.backend.ErrorResponse;
import io.pgwarden.protocol.message.backend.ParameterStatus;
import io.pgwarden.protocol.message.backend.ReadyForQuery;
import io.pgwarden.protocol.message.backend.SSLResponse;

/**
 * Backend side of the startup phase: relays what the server sends during authentication to
 * the client, message by message, unchanged except for the SASL mechanism list (see
 * {@link ClientSession#offeredMechanisms}) and BackendKeyData (replaced by a proxy-issued key).
 * The ReadyForQuery that ends the startup switches the session to forwarding.
 */
final class BackendAuthenticationHandler extends ChannelInboundHandlerAdapter {

    /** SQLSTATE class 28, Invalid Authorization Specification: wrong password, no such role, refused by pg_hba.conf. */
    private static final String INVALID_AUTHORIZATION_CLASS = "28";

    private final ClientSession session;

    BackendAuthenticationHandler(ClientSession session) {
        this.session = session;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof SSLResponse response) {
            session.backendSslResponse(response);
            return;
        }
        if (!(msg instanceof BackendMessage message)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        BackendMessage relayed = message;
        if (message instanceof AuthenticationSASL sasl) {
            relayed = session.offeredMechanisms(sasl);
        } else if (message instanceof BackendKeyData key) {
            relayed = session.replaceBackendKeyData(key);
        } else if (message instanceof ErrorResponse error) {
            if (error.severity().map(severity -> severity != Severity.ERROR).orElse(true)) {
                session.backendEnding();
            }
            if (error.sqlState().map(code -> code.startsWith(INVALID_AUTHORIZATION_CLASS)).orElse(false)) {
                session.authenticationFailed();
            }
        } else if (message instanceof ParameterStatus parameter && parameter.name().equals("application_name")) {
            session.applicationNameReported(parameter.value());
        }
        session.relayToClient(relayed);
        if (message instanceof ReadyForQuery ready) {
            session.authenticated(ready);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        session.flushClient();
        ctx.read();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.backendClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        session.backendFailed(cause);
    }
}
