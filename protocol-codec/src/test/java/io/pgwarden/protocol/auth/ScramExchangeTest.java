package io.pgwarden.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgwarden.protocol.SqlState;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ScramExchangeTest {

    // RFC 7677 section 3.
    private static final String RFC7677_CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
    private static final String RFC7677_SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final String RFC7677_CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    private static final String RFC7677_SERVER_FIRST =
        "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private static final String RFC7677_CLIENT_FINAL =
        "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    /**
     * The RFC as published prints "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjRl4u4=", a typo
     * reported in its errata: HMAC(ServerKey, AuthMessage) of the RFC's own exchange, recomputed
     * independently (Python hashlib/hmac), is the value below.
     */
    private static final String RFC7677_SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    // RFC 5802 section 5.
    private static final String RFC5802_CLIENT_FIRST = "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL";
    private static final String RFC5802_SERVER_FIRST = "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096";
    private static final String RFC5802_CLIENT_FINAL =
        "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=";
    private static final String RFC5802_SERVER_FINAL = "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=";

    private static ScramClient rfc7677Client(String password) {
        return new ScramClient(ScramMechanism.SCRAM_SHA_256, "user", password, ChannelBinding.notSupported(),
            RFC7677_CLIENT_NONCE, ScramClient.DEFAULT_MAX_ITERATIONS);
    }

    private static ScramServer rfc7677Server() {
        final ScramVerifier verifier = ScramVerifier.fromPassword(ScramMechanism.SCRAM_SHA_256, "pencil",
            Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        return new ScramServer(verifier, null, RFC7677_SERVER_NONCE);
    }

    @Test
    void clientReproducesTheRfc7677Exchange() {
        final ScramClient client = rfc7677Client("pencil");
        assertThat(client.clientFirstMessage()).isEqualTo(RFC7677_CLIENT_FIRST);
        assertThat(client.clientFinalMessage(RFC7677_SERVER_FIRST)).isEqualTo(RFC7677_CLIENT_FINAL);
        client.verifyServerFinal(RFC7677_SERVER_FINAL);
    }

    @Test
    void serverReproducesTheRfc7677Exchange() {
        final ScramServer server = rfc7677Server();
        assertThat(server.serverFirstMessage(RFC7677_CLIENT_FIRST)).isEqualTo(RFC7677_SERVER_FIRST);
        assertThat(server.serverFinalMessage(RFC7677_CLIENT_FINAL)).isEqualTo(RFC7677_SERVER_FINAL);
    }

    @Test
    void clientAndServerReproduceTheRfc5802Sha1Exchange() {
        final ScramClient client = new ScramClient(ScramMechanism.SCRAM_SHA_1, "user", "pencil",
            ChannelBinding.notSupported(), "fyko+d2lbbFgONRv9qkxdawL", ScramClient.DEFAULT_MAX_ITERATIONS);
        assertThat(client.clientFirstMessage()).isEqualTo(RFC5802_CLIENT_FIRST);
        assertThat(client.clientFinalMessage(RFC5802_SERVER_FIRST)).isEqualTo(RFC5802_CLIENT_FINAL);
        client.verifyServerFinal(RFC5802_SERVER_FINAL);

        final ScramVerifier verifier = ScramVerifier.fromPassword(ScramMechanism.SCRAM_SHA_1, "pencil",
            Base64.getDecoder().decode("QSXCR+Q6sek8bf92"), 4096);
        final ScramServer server = new ScramServer(verifier, null, "3rfcNHYJY1ZVvWVs7j");
        assertThat(server.serverFirstMessage(RFC5802_CLIENT_FIRST)).isEqualTo(RFC5802_SERVER_FIRST);
        assertThat(server.serverFinalMessage(RFC5802_CLIENT_FINAL)).isEqualTo(RFC5802_SERVER_FINAL);
    }

    @Test
    void randomClientAndServerAgreeForEveryChannelBindingChoice() {
        final SecureRandom random = new SecureRandom();
        final ScramVerifier verifier = ScramVerifier.fromPassword("correct horse battery staple", random);
        final byte[] certificateHash = new byte[32];
        random.nextBytes(certificateHash);

        exchange(ScramClient.sha256("", "correct horse battery staple", ChannelBinding.notSupported(), random),
            ScramServer.sha256(verifier, null, random));
        exchange(ScramClient.sha256("", "correct horse battery staple", ChannelBinding.notSupported(), random),
            ScramServer.sha256(verifier, certificateHash, random));
        exchange(ScramClient.sha256("", "correct horse battery staple", ChannelBinding.notOffered(), random),
            ScramServer.sha256(verifier, null, random));
        exchange(ScramClient.sha256("", "correct horse battery staple", ChannelBinding.tlsServerEndPoint(certificateHash), random),
            ScramServer.sha256(verifier, certificateHash, random));
    }

    @Test
    void userNamesWithCommaAndEqualsAreEscaped() {
        final SecureRandom random = new SecureRandom();
        final ScramClient client = ScramClient.sha256("a,b=c", "pw", ChannelBinding.notSupported(), random);
        assertThat(client.clientFirstMessage()).startsWith("n,,n=a=2Cb=3Dc,r=");
        assertThat(ClientFirstMessage.parse(client.clientFirstMessage()).username()).isEqualTo("a,b=c");
        exchange(client, ScramServer.sha256(ScramVerifier.fromPassword("pw", random), null, random));
    }

    @Test
    void nonAsciiPasswordsGoThroughSaslPrepOnBothSides() {
        final SecureRandom random = new SecureRandom();
        final ScramVerifier verifier = ScramVerifier.fromPassword("ｐａｓｓ", random);
        exchange(ScramClient.sha256("", "pass", ChannelBinding.notSupported(), random), ScramServer.sha256(verifier, null, random));
    }

    @Test
    void wrongPasswordFailsWithInvalidPassword() {
        final ScramClient client = rfc7677Client("pencils");
        final ScramServer server = rfc7677Server();
        final String clientFinal = client.clientFinalMessage(server.serverFirstMessage(client.clientFirstMessage()));
        final ScramException e = catchThrowableOfType(() -> server.serverFinalMessage(clientFinal), ScramException.class);
        assertThat(e.sqlState()).isEqualTo(SqlState.INVALID_PASSWORD);
        assertThat(e).hasMessageContaining("password authentication failed");
        assertThatThrownBy(() -> server.serverFinalMessage(clientFinal))
            .as("no second attempt in the same exchange").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void clientRejectsAServerThatDoesNotKnowTheVerifier() {
        final ScramClient client = rfc7677Client("pencil");
        client.clientFinalMessage(RFC7677_SERVER_FIRST);
        final ScramException e = catchThrowableOfType(
            () -> client.verifyServerFinal("v=" + Base64.getEncoder().encodeToString(new byte[32])), ScramException.class);
        assertThat(e.sqlState()).isEqualTo(SqlState.INVALID_AUTHORIZATION_SPECIFICATION);
        assertThat(e).hasMessageContaining("incorrect server signature");
    }

    @Test
    void clientReportsTheServersError() {
        final ScramClient client = rfc7677Client("pencil");
        client.clientFinalMessage(RFC7677_SERVER_FIRST);
        final ScramException e = catchThrowableOfType(() -> client.verifyServerFinal("e=invalid-proof"), ScramException.class);
        assertThat(e.sqlState()).isEqualTo(SqlState.INVALID_PASSWORD);
        assertThat(e).hasMessageContaining("invalid-proof");
    }

    @Test
    void clientRejectsMalformedServerFirstMessages() {
        assertMalformedServerFirst("s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "attribute 'r'");
        assertMalformedServerFirst("r=rOprNGfwEbeRWgbNEkqO%hv,i=4096", "attribute 's'");
        assertMalformedServerFirst("r=rOprNGfwEbeRWgbNEkqO%hv,s=W22ZaJ0SNY7soEsUEjb6gQ==", "attribute 'i'");
        assertMalformedServerFirst("r=rOprNGfwEbeRWgbNEkqO%hv,s=W22Z*J0SNY7soEsUEjb6gQ==,i=4096", "base64");
        assertMalformedServerFirst("r=rOprNGfwEbeRWgbNEkqO%hv,s=,i=4096", "empty salt");
        assertMalformedServerFirst("r=someoneElsesNonce,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "nonce");
        assertMalformedServerFirst("r=rOprNGfwEbeRWgbNEkqO,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "nonce");
        assertMalformedServerFirst("r=rOprNGfwEbeRWgbNEkqO%hv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=0", "iteration count");
        assertMalformedServerFirst("r=rOprNGfwEbeRWgbNEkqO%hv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=-1", "iteration count");
        assertMalformedServerFirst("r=rOprNGfwEbeRWgbNEkqO%hv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=2000000000", "iteration count");
        assertMalformedServerFirst("r=rOprNGfwEbeRWgbNEkqO%hv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=99999999999999999999", "iteration count");
        assertMalformedServerFirst("r=rOprNGfwEbeRWgbNEkqO%hv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4k", "iteration count");
        assertMalformedServerFirst("m=ext,r=rOprNGfwEbeRWgbNEkqO%hv,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "mandatory extension");
        assertMalformedServerFirst("", "attribute 'r'");
    }

    private static void assertMalformedServerFirst(String serverFirst, String expectedDetail) {
        final ScramClient client = rfc7677Client("pencil");
        final ScramException e = catchThrowableOfType(() -> client.clientFinalMessage(serverFirst), ScramException.class);
        assertThat(e).as(serverFirst).isNotNull().hasMessageContaining(expectedDetail);
        assertThat(e.sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
    }

    @Test
    void serverRejectsMalformedClientFirstMessages() {
        assertMalformedClientFirst("n,,r=rOprNGfwEbeRWgbNEkqO", "needs a GS2 header");
        assertMalformedClientFirst("x,,n=user,r=abc", "channel-binding flag");
        assertMalformedClientFirst("n,,n=user,x=abc", "attribute 'r'");
        assertMalformedClientFirst("n,,n=user,r=", "empty nonce");
        assertMalformedClientFirst("n,,n=us=er,r=abc", "invalid escape");
        assertMalformedClientFirst("n,a=admin,n=user,r=abc", "authorization identities");
        assertMalformedClientFirst("n,,m=ext,n=user,r=abc", "mandatory extension");
        assertMalformedClientFirst("p=tls-server-end-point,,n=,r=abc", "requires channel binding");
        assertMalformedClientFirst("n,,n=user,r=abc,1nvalid", "invalid attribute");
    }

    private static void assertMalformedClientFirst(String clientFirst, String expectedDetail) {
        final ScramServer server = rfc7677Server();
        final ScramException e = catchThrowableOfType(() -> server.serverFirstMessage(clientFirst), ScramException.class);
        assertThat(e).as(clientFirst).isNotNull().hasMessageContaining(expectedDetail);
        assertThat(e.sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
    }

    @Test
    void serverRejectsAChannelBindingDowngrade() {
        final ScramVerifier verifier = ScramVerifier.fromPassword("pw", new SecureRandom());
        final ScramServer server = new ScramServer(verifier, new byte[32], "serverNonce");
        assertThatThrownBy(() -> server.serverFirstMessage("y,,n=,r=abc"))
            .isInstanceOf(ScramException.class).hasMessageContaining("does support channel binding");
        final ScramServer other = new ScramServer(verifier, new byte[32], "serverNonce");
        assertThatThrownBy(() -> other.serverFirstMessage("p=tls-unique,,n=,r=abc"))
            .isInstanceOf(ScramException.class).hasMessageContaining("unsupported channel-binding type");
    }

    @Test
    void serverRejectsMalformedOrInconsistentClientFinalMessages() {
        final String nonce = "rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        final String proof = "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
        assertMalformedClientFinal("r=" + nonce + "," + proof, "attribute 'c'");
        assertMalformedClientFinal("c=biws," + proof, "attribute 'r'");
        assertMalformedClientFinal("c=biws,r=" + nonce, "attribute 'p'");
        assertMalformedClientFinal("c=biws,r=" + nonce + ",p=!!!", "base64");
        assertMalformedClientFinal("c=biws,r=" + nonce + ",p=AAAA", "client proof has 3 bytes");
        assertMalformedClientFinal("c=eSws,r=" + nonce + "," + proof, "channel binding check failed");
        assertMalformedClientFinal("c=bi$s,r=" + nonce + "," + proof, "base64");
        assertMalformedClientFinal("c=biws,r=" + nonce + "X," + proof, "nonce does not match");
    }

    private static void assertMalformedClientFinal(String clientFinal, String expectedDetail) {
        final ScramServer server = rfc7677Server();
        server.serverFirstMessage(RFC7677_CLIENT_FIRST);
        final ScramException e = catchThrowableOfType(() -> server.serverFinalMessage(clientFinal), ScramException.class);
        assertThat(e).as(clientFinal).isNotNull().hasMessageContaining(expectedDetail);
        assertThat(e.sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION);
    }

    @Test
    void serverRejectsBindingDataOfAnotherCertificate() {
        final SecureRandom random = new SecureRandom();
        final ScramVerifier verifier = ScramVerifier.fromPassword("pw", random);
        final byte[] proxyCertificate = new byte[32];
        final byte[] serverCertificate = new byte[32];
        random.nextBytes(proxyCertificate);
        random.nextBytes(serverCertificate);
        final ScramClient client = ScramClient.sha256("", "pw", ChannelBinding.tlsServerEndPoint(proxyCertificate), random);
        final ScramServer server = ScramServer.sha256(verifier, serverCertificate, random);
        final String clientFinal = client.clientFinalMessage(server.serverFirstMessage(client.clientFirstMessage()));
        assertThatThrownBy(() -> server.serverFinalMessage(clientFinal))
            .isInstanceOf(ScramException.class).hasMessageContaining("channel binding check failed");
    }

    @Test
    void stepsMustComeInOrder() {
        final ScramClient client = rfc7677Client("pencil");
        assertThatThrownBy(() -> client.verifyServerFinal(RFC7677_SERVER_FINAL)).isInstanceOf(IllegalStateException.class);
        final ScramServer server = rfc7677Server();
        assertThatThrownBy(() -> server.serverFinalMessage(RFC7677_CLIENT_FINAL)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new ScramClient(ScramMechanism.SCRAM_SHA_256, "", "pw", ChannelBinding.notSupported(),
            "bad,nonce", 10)).isInstanceOf(IllegalArgumentException.class);
    }

    private static void exchange(ScramClient client, ScramServer server) {
        final String serverFirst = server.serverFirstMessage(client.clientFirstMessage());
        final String serverFinal = server.serverFinalMessage(client.clientFinalMessage(serverFirst));
        client.verifyServerFinal(serverFinal);
        assertThat(serverFinal.getBytes(StandardCharsets.US_ASCII)).startsWith('v', '=');
    }
}
