package io.pgwarden.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ScramVerifierTest {

    /** RFC 7677's password and salt; keys computed independently (Python hashlib/hmac). */
    static final String PENCIL = "SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ=="
        + "$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=";

    @Test
    void fromPasswordProducesPostgresFormat() {
        final ScramVerifier verifier = ScramVerifier.fromPassword(ScramMechanism.SCRAM_SHA_256, "pencil",
            Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        assertThat(verifier.toString()).isEqualTo(PENCIL);
    }

    @Test
    void parseAndFormatRoundTrip() {
        final ScramVerifier parsed = ScramVerifier.parse(PENCIL);
        assertThat(parsed.mechanism()).isEqualTo(ScramMechanism.SCRAM_SHA_256);
        assertThat(parsed.iterations()).isEqualTo(4096);
        assertThat(parsed.salt()).hasSize(16);
        assertThat(parsed.toString()).isEqualTo(PENCIL);
        assertThat(parsed).isEqualTo(ScramVerifier.parse(PENCIL)).hasSameHashCodeAs(ScramVerifier.parse(PENCIL));
    }

    @Test
    void saslPrepIsAppliedBeforeHashing() {
        final byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        final ScramVerifier fullwidth = ScramVerifier.fromPassword(ScramMechanism.SCRAM_SHA_256, "ｐａｓｓ", salt, 4096);
        assertThat(Base64.getEncoder().encodeToString(fullwidth.storedKey()))
            .isEqualTo("85NVb9rMDyh9FRD0MaZxw8LAhOAQq/xpcrmfx1vNWsE=");
        assertThat(fullwidth).isEqualTo(ScramVerifier.fromPassword(ScramMechanism.SCRAM_SHA_256, "pass", salt, 4096));
    }

    @Test
    void randomVerifiersUsePostgresDefaults() {
        final SecureRandom random = new SecureRandom();
        final ScramVerifier a = ScramVerifier.fromPassword("secret", random);
        final ScramVerifier b = ScramVerifier.fromPassword("secret", random);
        assertThat(a.iterations()).isEqualTo(4096);
        assertThat(a.salt()).hasSize(16);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void parseRejectsMalformedVerifiersWithAClearMessage() {
        assertThatThrownBy(() -> ScramVerifier.parse("md53175bce1d3201d16594cebf9d7eb3f9d"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a SCRAM verifier");
        assertThatThrownBy(() -> ScramVerifier.parse(PENCIL.replace("SCRAM-SHA-256", "SCRAM-SHA-512")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown SCRAM mechanism");
        assertThatThrownBy(() -> ScramVerifier.parse(PENCIL.replace("4096", "many")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("iteration count");
        assertThatThrownBy(() -> ScramVerifier.parse(PENCIL.replace("4096", "0")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> ScramVerifier.parse(PENCIL.replace("W22Z", "W2%Z")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("salt");
        assertThatThrownBy(() -> ScramVerifier.parse(PENCIL.substring(0, PENCIL.indexOf(':', 30))))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScramVerifier.parse(PENCIL.replace("WG5d8oPm", "")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    }
}
