package io.pgwarden.protocol.auth;

import io.pgwarden.protocol.SqlState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * The server side of one SCRAM exchange (RFC 5802 section 3) against a stored
 * {@link ScramVerifier}, with PostgreSQL's rules for channel binding and authorization
 * identities:
 * <pre>
 *   ScramServer scram = ScramServer.sha256(verifier, null, random);   // null: no TLS, no -PLUS offered
 *   String serverFirst = scram.serverFirstMessage(clientFirst);        // AuthenticationSASLContinue
 *   String serverFinal = scram.serverFinalMessage(clientFinal);        // AuthenticationSASLFinal
 * </pre>
 * Each method must be called once, in this order. Not thread-safe.
 */
public final class ScramServer {

    private final ScramVerifier verifier;
    private final byte[] tlsServerEndPoint;
    private final String serverNonce;

    /** How far the exchange got; a step that fails still counts, so nothing can be retried. */
    private int stepsTaken;
    private ClientFirstMessage clientFirst;
    private ServerFirstMessage serverFirst;

    /**
     * @param verifier the user's stored verifier
     * @param tlsServerEndPoint the {@code tls-server-end-point} binding data of this connection
     *        when the server offers {@code SCRAM-SHA-256-PLUS}, or null when it does not
     * @param serverNonce the server's part of the nonce: printable ASCII without commas,
     *        unpredictable
     */
    public ScramServer(ScramVerifier verifier, byte[] tlsServerEndPoint, String serverNonce) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.tlsServerEndPoint = tlsServerEndPoint == null ? null : tlsServerEndPoint.clone();
        try {
            this.serverNonce = ScramAttributes.nonce(serverNonce);
        } catch (ScramException e) {
            throw new IllegalArgumentException("server nonce must be printable ASCII without commas", e);
        }
    }

    /** A server with a random nonce. */
    public static ScramServer sha256(ScramVerifier verifier, byte[] tlsServerEndPoint, SecureRandom random) {
        return new ScramServer(verifier, tlsServerEndPoint, ScramClient.randomNonce(random));
    }

    /**
     * Reads the client-first-message.
     *
     * @return server-first-message
     * @throws ScramException (08P01) if it is malformed, asks for an authorization identity or
     *         an unsupported channel binding, or claims the server offered no channel binding
     *         when it did
     */
    public String serverFirstMessage(String clientFirstMessage) {
        if (stepsTaken != 0) {
            throw new IllegalStateException("the client-first-message has already been handled");
        }
        stepsTaken = 1;
        final ClientFirstMessage message = ClientFirstMessage.parse(clientFirstMessage);
        switch (message.flag()) {
            case NOT_SUPPORTED -> {
            }
            case NOT_OFFERED -> {
                if (tlsServerEndPoint != null) {
                    throw ScramException.malformed("the client supports channel binding but thinks the server"
                        + " does not; this server does support channel binding");
                }
            }
            case BOUND -> {
                if (tlsServerEndPoint == null) {
                    throw ScramException.malformed("the client requires channel binding, which this connection does not support");
                }
                if (!ChannelBinding.TLS_SERVER_END_POINT.equals(message.channelBindingName())) {
                    throw ScramException.malformed("unsupported channel-binding type \""
                        + ScramAttributes.printable(message.channelBindingName()) + "\"");
                }
            }
        }
        if (message.authorizationId() != null) {
            throw ScramException.malformed("authorization identities are not supported");
        }
        clientFirst = message;
        serverFirst = ServerFirstMessage.of(message.nonce() + serverNonce, verifier.salt(), verifier.iterations());
        return serverFirst.toString();
    }

    /**
     * Reads the client-final-message and verifies the client proof.
     *
     * @return server-final-message with the server signature
     * @throws ScramException 28P01 if the proof does not match the verifier (wrong password);
     *         08P01 if the message is malformed or its channel binding or nonce differ from
     *         what was agreed
     */
    public String serverFinalMessage(String clientFinalMessage) {
        if (serverFirst == null || stepsTaken != 1) {
            throw new IllegalStateException(stepsTaken == 2
                ? "the client-final-message has already been handled"
                : "the client-first-message has not been handled successfully");
        }
        stepsTaken = 2;
        final ScramMechanism mechanism = verifier.mechanism();
        final ClientFinalMessage message = ClientFinalMessage.parse(clientFinalMessage, mechanism.keyLength());
        final byte[] gs2Header = clientFirst.gs2Header().getBytes(StandardCharsets.US_ASCII);
        final byte[] bindingData = clientFirst.flag() == ChannelBinding.Flag.BOUND ? tlsServerEndPoint : new byte[0];
        final byte[] expectedBinding = new byte[gs2Header.length + bindingData.length];
        System.arraycopy(gs2Header, 0, expectedBinding, 0, gs2Header.length);
        System.arraycopy(bindingData, 0, expectedBinding, gs2Header.length, bindingData.length);
        if (!MessageDigest.isEqual(expectedBinding, message.channelBinding())) {
            throw ScramException.malformed("SCRAM channel binding check failed");
        }
        if (!message.nonce().equals(serverFirst.nonce())) {
            throw ScramException.malformed("nonce does not match the one agreed in the first messages");
        }
        final byte[] authMessage = (clientFirst.bare() + "," + serverFirst.text() + "," + message.withoutProof())
            .getBytes(StandardCharsets.UTF_8);
        final byte[] storedKey = verifier.storedKey();
        final byte[] clientKey = ScramMechanism.xor(message.proof(), mechanism.hmac(storedKey, authMessage));
        if (!MessageDigest.isEqual(mechanism.hash(clientKey), storedKey)) {
            throw new ScramException(SqlState.INVALID_PASSWORD, "password authentication failed: invalid SCRAM client proof");
        }
        return new ServerFinalMessage(mechanism.hmac(verifier.serverKey(), authMessage), null).toString();
    }
}
