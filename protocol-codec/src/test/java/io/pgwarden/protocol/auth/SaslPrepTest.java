package io.pgwarden.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SaslPrepTest {

    @Test
    void asciiIsUsedUnchangedEvenWithControlCharacters() {
        assertThat(SaslPrep.prepare("pencil")).isEqualTo("pencil");
        assertThat(SaslPrep.prepare("tab\there")).isEqualTo("tab\there");
        assertThat(SaslPrep.prepare("")).isEmpty();
    }

    @Test
    void rfc4013Examples() {
        // RFC 4013 section 3, examples 1 to 4 (5, the bidi one, is below).
        assertThat(SaslPrep.prepare("I\u00ADX")).isEqualTo("IX");
        assertThat(SaslPrep.prepare("\u00AA")).isEqualTo("a");
        assertThat(SaslPrep.prepare("\u2168")).isEqualTo("IX");
        assertThat(SaslPrep.prepare("\u0007\u00E9")).as("prohibited control character").isNull();
    }

    @Test
    void mapsNonAsciiSpacesAndRemovesInvisibleCharacters() {
        assertThat(SaslPrep.prepare("a\u00A0b\u3000c")).isEqualTo("a b c");
        assertThat(SaslPrep.prepare("pa\u200Dss\uFEFFé")).isEqualTo("passé");
        assertThat(SaslPrep.prepare("\u00AD\u200C")).as("nothing left").isNull();
    }

    @Test
    void normalizesCompatibilityCharactersToNfkc() {
        assertThat(SaslPrep.prepare("ｐａｓｓ")).isEqualTo("pass");
        assertThat(SaslPrep.prepare("e\u0301")).isEqualTo("é");
        assertThat(SaslPrep.prepare("ﬁre")).isEqualTo("fire");
    }

    @Test
    void rejectsPrivateUseAndBrokenBidi() {
        assertThat(SaslPrep.prepare("é\uE000")).isNull();
        // RFC 4013 example 5: RandALCat first but not last.
        assertThat(SaslPrep.prepare("\u0627\u0031")).isNull();
        assertThat(SaslPrep.prepare("\u0627\u0031\u0628")).isEqualTo("\u0627\u0031\u0628");
        assertThat(SaslPrep.prepare("\u0627a\u0628")).as("mixes RandALCat and LCat").isNull();
    }

    @Test
    void passwordBytesFallBackToTheRawPasswordWhenSaslPrepFails() {
        assertThat(SaslPrep.passwordBytes("é\uE000")).isEqualTo("é\uE000".getBytes(StandardCharsets.UTF_8));
        assertThat(SaslPrep.passwordBytes("ｐａｓｓ")).isEqualTo("pass".getBytes(StandardCharsets.UTF_8));
    }
}
