package io.pgwarden.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bodies that lie about their own contents: counts and lengths that run past the end, strings
 * without terminators, bytes left over. Each is refused with a ProtocolException that names
 * the message, before anything is allocated for what the body claims.
 */
class MalformedMessageTest {

    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            B | 703100 733100 0002 0001            | parameter format code count 2 does not fit in the remaining 2 bytes
            B | 00 00 0000 ffff                     | parameter value count 65535 does not fit in the remaining 0 bytes
            B | 00 00 0000 0001 fffffffe            | invalid length -2 of parameter value
            B | 00 00 0000 0001 000003e8 0102       | parameter value runs past the end of the message
            B | 00 00 0000 0000 0000 00             | 1 unexpected trailing bytes
            P | 733100 53454c454354                 | query string is not NUL-terminated
            P | 00 00 7fff                          | parameter type count 32767 does not fit in the remaining 0 bytes
            C | 58 00                               | invalid target 'X', expected 'S' or 'P'
            D |                                     | target runs past the end of the message
            E | 00 0000                             | maximum row count runs past the end of the message
            F | 000003bd 0000 0003 00000000         | argument count 3 does not fit in the remaining 4 bytes
            Q | 53454c454354                        | query string is not NUL-terminated
            Q | 00 00                               | 1 unexpected trailing bytes
            f | 6f6f7073                            | error message is not NUL-terminated
            S | 00                                  | 1 unexpected trailing bytes
            """)
    void malformedFrontendBodyIsRejected(char type, String body, String problem) {
        assertThatThrownBy(() -> FrontendMessageDecoder.decodeMessage((byte) type, buffer(body)))
                .isExactlyInstanceOf(ProtocolException.class)
                .hasMessageStartingWith("malformed ")
                .hasMessageEndingWith(problem)
                .satisfies(e -> assertThat(((ProtocolException) e).sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            D | ffff                                | column count 65535 does not fit in the remaining 0 bytes
            D | 0001 7fffffff 00                    | column value runs past the end of the message
            D | 0001 80000000                       | invalid length -2147483648 of column value
            T | 0400 696400                         | field count 1024 does not fit in the remaining 3 bytes
            T | 0001 6964787878787878787800 00004000 0001 00000017 | data type size runs past the end of the message
            t | 0003 00000017                       | parameter count 3 does not fit in the remaining 4 bytes
            v | 00030000 7fffffff                   | unrecognized option count 2147483647 does not fit in the remaining 0 bytes
            v | 00030000 ffffffff                   | negative unrecognized option count -1
            G | 00 0002 0000                        | column count 2 does not fit in the remaining 2 bytes
            K | 00003039 123456                     | secret key of 3 bytes, expected 4 to 256
            E | 4d 6e6f00                           | field type runs past the end of the message
            E | 4d 6e6f                             | field value is not NUL-terminated
            N | 00 00                               | 1 unexpected trailing bytes
            Z |                                     | transaction status runs past the end of the message
            Z | 4900                                | 1 unexpected trailing bytes
            A | 0000002a 636800                     | payload is not NUL-terminated
            S | 54696d655a6f6e6500                  | parameter value is not NUL-terminated
            C | 53454c45435420                      | command tag is not NUL-terminated
            V | 00000008 0000                       | result runs past the end of the message
            R | 0000000a 534352414d2d5348412d32353600 | mechanism name is not NUL-terminated
            R | 00000005 010203                     | salt runs past the end of the message
            R | 00000000 00                         | 1 unexpected trailing bytes
            """)
    void malformedBackendBodyIsRejected(char type, String body, String problem) {
        assertThatThrownBy(() -> BackendMessageDecoder.decodeMessage((byte) type, buffer(body)))
                .isExactlyInstanceOf(ProtocolException.class)
                .hasMessageStartingWith("malformed ")
                .hasMessageEndingWith(problem);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            00              | malformed authentication request: no request code
            00000006        | unsupported authentication request code 6
            ffffffff        | unsupported authentication request code -1
            """)
    void authenticationRequestWithoutAKnownCodeIsRejected(String body, String message) {
        assertThatThrownBy(() -> BackendMessageDecoder.decodeMessage((byte) 'R', buffer(body)))
                .isExactlyInstanceOf(ProtocolException.class)
                .hasMessage(message);
    }

    private static io.netty.buffer.ByteBuf buffer(String hex) {
        return Unpooled.wrappedBuffer(Hex.bytes(hex == null ? "" : hex));
    }
}
