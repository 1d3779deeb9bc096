package io.pgwarden.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.pgwarden.protocol.message.CString;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Protocol strings keep every byte, whatever the client encoding, and read UTF-8 as UTF-8. */
class CStringTest {

    static String decode(byte[] bytes) {
        return CString.decode(Unpooled.wrappedBuffer(bytes), 0, bytes.length);
    }

    static byte[] encode(String s) {
        ByteBuf out = Unpooled.buffer();
        CString.write(out, s);
        assertThat(out.readableBytes()).isEqualTo(CString.encodedLength(s));
        assertThat(out.getByte(out.writerIndex() - 1)).as("terminator").isZero();
        return ByteBufUtil.getBytes(out, 0, out.readableBytes() - 1);
    }

    @Test
    void utf8DecodesToTheCharactersItEncodes() {
        byte[] bytes = "héllo wörld ☃ 𝄞".getBytes(StandardCharsets.UTF_8);
        assertThat(decode(bytes)).isEqualTo("héllo wörld ☃ 𝄞");
        assertThat(encode("héllo wörld ☃ 𝄞")).isEqualTo(bytes);
    }

    @Test
    void bytesThatAreNotUtf8SurviveTheRoundTrip() {
        // LATIN1 "café", a lone continuation byte, an overlong '/', a UTF-16 surrogate in UTF-8,
        // a truncated 3-byte sequence and a code point above U+10FFFF.
        byte[] bytes = Hex.bytes("636166e9 20 80 20 c0af 20 eda080 20 e282 20 f4908080");
        String decoded = decode(bytes);
        assertThat(decoded).startsWith("caf").contains("\udce9");
        assertThat(encode(decoded)).isEqualTo(bytes);
    }

    @Property(tries = 2000)
    void anyBytesWithoutNulDecodeAndReEncodeUnchanged(@ForAll("bytesWithoutNul") byte[] bytes) {
        assertThat(encode(decode(bytes))).isEqualTo(bytes);
    }

    @Property(tries = 2000)
    void validStringsEncodeAsJavaEncodesUtf8(@ForAll("stringsWithoutNul") String s) {
        byte[] expected = s.getBytes(StandardCharsets.UTF_8);
        assertThat(encode(s)).isEqualTo(expected);
        assertThat(decode(expected)).isEqualTo(s);
    }

    @Provide
    Arbitrary<byte[]> bytesWithoutNul() {
        return Arbitraries.bytes().filter(b -> b != 0).array(byte[].class).ofMaxSize(64);
    }

    @Provide
    Arbitrary<String> stringsWithoutNul() {
        // Whole code points, so no string has an unpaired surrogate.
        return Arbitraries.integers().between(1, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                .list().ofMaxSize(32)
                .map(cps -> cps.stream().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                        .toString());
    }

    @Test
    void stringsWithNulCannotBeSent() {
        assertThatThrownBy(() -> CString.requireValid("a\0b", "query"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("query");
    }
}
