package io.pgwarden.protocol.auth;

import io.pgwarden.protocol.SqlState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * The client side of one SCRAM exchange (RFC 5802 section 3), as PostgreSQL's
 * SASLInitialResponse / AuthenticationSASLContinue / SASLResponse / AuthenticationSASLFinal
 * messages carry it:
 * <pre>
 *   ScramClient scram = ScramClient.sha256("", password, ChannelBinding.notSupported(), random);
 *   send(scram.clientFirstMessage());                      // SASLInitialResponse
 *   send(scram.clientFinalMessage(serverFirst));           // after AuthenticationSASLContinue
 *   scram.verifyServerFinal(serverFinal);                  // after AuthenticationSASLFinal
 * </pre>
 * PostgreSQL ignores the SCRAM user name (the startup packet names the user), and libpq sends
 * it empty. Each method must be called once, in this order. Not thread-safe.
 */
public final class ScramClient {

    /**
     * The highest iteration count a server may ask for by default. PostgreSQL defaults to
     * 4096; each iteration costs an HMAC, so a hostile server asking for billions would stall
     * the client.
     */
    public static final int DEFAULT_MAX_ITERATIONS = 1_000_000;

    /** 18 random bytes, base64-encoded, as libpq makes its nonce. */
    private static final int NONCE_BYTES = 18;

    private final ScramMechanism mechanism;
    private final String password;
    private final ChannelBinding channelBinding;
    private final int maxIterations;
    private final ClientFirstMessage clientFirst;

    /** How far the exchange got; a step that fails still counts, so nothing can be retried. */
    private int stepsTaken;
    private byte[] expectedServerSignature;

    /**
     * @param username the SCRAM user name ({@code ""} for PostgreSQL)
     * @param clientNonce printable ASCII without commas; must be unpredictable
     * @param maxIterations the highest iteration count accepted from the server
     */
    public ScramClient(ScramMechanism mechanism, String username, String password, ChannelBinding channelBinding,
                       String clientNonce, int maxIterations) {
        this.mechanism = Objects.requireNonNull(mechanism, "mechanism");
        this.password = Objects.requireNonNull(password, "password");
        this.channelBinding = Objects.requireNonNull(channelBinding, "channelBinding");
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be positive");
        }
        this.maxIterations = maxIterations;
        try {
            ScramAttributes.nonce(clientNonce);
        } catch (ScramException e) {
            throw new IllegalArgumentException("client nonce must be printable ASCII without commas", e);
        }
        this.clientFirst = ClientFirstMessage.of(channelBinding, Objects.requireNonNull(username, "username"), clientNonce);
    }

    /** SCRAM-SHA-256 with a random nonce and the default iteration limit. */
    public static ScramClient sha256(String username, String password, ChannelBinding channelBinding, SecureRandom random) {
        return new ScramClient(ScramMechanism.SCRAM_SHA_256, username, password, channelBinding,
            randomNonce(random), DEFAULT_MAX_ITERATIONS);
    }

    static String randomNonce(SecureRandom random) {
        final byte[] bytes = new byte[NONCE_BYTES];
        random.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    public ScramMechanism mechanism() {
        return mechanism;
    }

    /** client-first-message, e.g. {@code n,,n=,r=<nonce>}. */
    public String clientFirstMessage() {
        return clientFirst.toString();
    }

    /**
     * Reads the server-first-message and computes the proof.
     *
     * @return client-final-message
     * @throws ScramException (08P01) if the message is malformed, the nonce does not extend the
     *         client's, or the iteration count is not between 1 and the maximum
     */
    public String clientFinalMessage(String serverFirstMessage) {
        if (stepsTaken != 0) {
            throw new IllegalStateException("the server-first-message has already been handled");
        }
        stepsTaken = 1;
        final ServerFirstMessage serverFirst = ServerFirstMessage.parse(serverFirstMessage, maxIterations);
        if (!serverFirst.nonce().startsWith(clientFirst.nonce())
                || serverFirst.nonce().length() == clientFirst.nonce().length()) {
            throw ScramException.malformed("the server nonce does not extend the client nonce");
        }
        final byte[] gs2Header = clientFirst.gs2Header().getBytes(StandardCharsets.US_ASCII);
        final byte[] bindingData = channelBinding.data();
        final byte[] cbind = new byte[gs2Header.length + bindingData.length];
        System.arraycopy(gs2Header, 0, cbind, 0, gs2Header.length);
        System.arraycopy(bindingData, 0, cbind, gs2Header.length, bindingData.length);

        final byte[] saltedPassword = mechanism.saltedPassword(
            SaslPrep.passwordBytes(password), serverFirst.salt(), serverFirst.iterations());
        final byte[] clientKey = mechanism.clientKey(saltedPassword);
        final byte[] storedKey = mechanism.hash(clientKey);
        final String withoutProof = ClientFinalMessage.of(cbind, serverFirst.nonce(), new byte[0]).withoutProof();
        final byte[] authMessage = (clientFirst.bare() + "," + serverFirst.text() + "," + withoutProof)
            .getBytes(StandardCharsets.UTF_8);
        final byte[] clientProof = ScramMechanism.xor(clientKey, mechanism.hmac(storedKey, authMessage));
        expectedServerSignature = mechanism.hmac(mechanism.serverKey(saltedPassword), authMessage);
        return new ClientFinalMessage(withoutProof, cbind, serverFirst.nonce(), clientProof).toString();
    }

    /**
     * Checks that the server knew the verifier: its signature must match ours.
     *
     * @throws ScramException with the server's error ({@code e=}), if the signature does not
     *         match (28000), or if the message is malformed (08P01)
     */
    public void verifyServerFinal(String serverFinalMessage) {
        if (expectedServerSignature == null || stepsTaken != 1) {
            throw new IllegalStateException(stepsTaken == 2
                ? "the server-final-message has already been verified"
                : "the server-first-message has not been handled successfully");
        }
        stepsTaken = 2;
        final ServerFinalMessage serverFinal = ServerFinalMessage.parse(serverFinalMessage);
        if (serverFinal.error() != null) {
            throw new ScramException(
                serverFinal.error().equals("invalid-proof") ? SqlState.INVALID_PASSWORD : SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                "SCRAM authentication failed: server reported \"" + ScramAttributes.printable(serverFinal.error()) + "\"");
        }
        if (!MessageDigest.isEqual(expectedServerSignature, serverFinal.serverSignature())) {
            throw new ScramException(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                "SCRAM authentication failed: incorrect server signature");
        }
    }
}
