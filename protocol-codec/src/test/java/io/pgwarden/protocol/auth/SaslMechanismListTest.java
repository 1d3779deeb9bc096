package io.pgwarden.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.pgwarden.protocol.ProtocolException;
import io.pgwarden.protocol.SqlState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SaslMechanismListTest {

    private static ByteBuf list(String raw) {
        return Unpooled.copiedBuffer(raw, StandardCharsets.US_ASCII);
    }

    private static String readable(ByteBuf buffer) {
        return buffer.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void removesChannelBindingAndKeepsTheRestInOrder() {
        final ByteBuf in = list("SCRAM-SHA-256-PLUS\0SCRAM-SHA-256\0\0");
        final ByteBuf out = Unpooled.buffer();
        try {
            assertThat(SaslMechanismList.writeWithoutChannelBinding(in, out)).isEqualTo(1);
            assertThat(readable(out)).isEqualTo("SCRAM-SHA-256\0\0");
            assertThat(in.isReadable()).isFalse();
        } finally {
            in.release();
            out.release();
        }
    }

    @Test
    void listWithoutChannelBindingIsCopiedUnchanged() {
        final ByteBuf in = list("SCRAM-SHA-256\0\0");
        final ByteBuf out = Unpooled.buffer();
        try {
            assertThat(SaslMechanismList.writeWithoutChannelBinding(in, out)).isEqualTo(1);
            assertThat(readable(out)).isEqualTo("SCRAM-SHA-256\0\0");
        } finally {
            in.release();
            out.release();
        }
    }

    @Test
    void onlyTheExactNameIsRemovedAndFollowingBytesAreLeftAlone() {
        final ByteBuf in = list("SCRAM-SHA-256-PLUSX\0SCRAM-SHA-256-PLUS\0FUTURE-MECH\0\0trailing");
        final ByteBuf out = Unpooled.buffer();
        try {
            assertThat(SaslMechanismList.writeWithoutChannelBinding(in, out)).isEqualTo(2);
            assertThat(readable(out)).isEqualTo("SCRAM-SHA-256-PLUSX\0FUTURE-MECH\0\0");
            assertThat(readable(in)).isEqualTo("trailing");
        } finally {
            in.release();
            out.release();
        }
    }

    @Test
    void onlyChannelBindingOfferedLeavesAnEmptyList() {
        final ByteBuf in = list("SCRAM-SHA-256-PLUS\0\0");
        final ByteBuf out = Unpooled.buffer();
        try {
            assertThat(SaslMechanismList.writeWithoutChannelBinding(in, out)).isZero();
            assertThat(readable(out)).isEqualTo("\0");
        } finally {
            in.release();
            out.release();
        }
    }

    @Test
    void unterminatedListIsAProtocolViolationAndNothingIsConsumedOrWritten() {
        for (String raw : List.of("", "SCRAM-SHA-256", "SCRAM-SHA-256\0", "SCRAM-SHA-256-PLUS\0SCRAM")) {
            final ByteBuf in = list(raw);
            final ByteBuf out = Unpooled.buffer();
            try {
                assertThatThrownBy(() -> SaslMechanismList.writeWithoutChannelBinding(in, out))
                    .isInstanceOf(ProtocolException.class)
                    .satisfies(e -> assertThat(((ProtocolException) e).sqlState()).isEqualTo(SqlState.PROTOCOL_VIOLATION));
                assertThat(in.readerIndex()).isZero();
                assertThat(out.readableBytes()).isZero();
            } finally {
                in.release();
                out.release();
            }
        }
    }

    @Test
    void readListsTheNames() {
        final ByteBuf in = list("SCRAM-SHA-256-PLUS\0SCRAM-SHA-256\0\0");
        try {
            assertThat(SaslMechanismList.read(in)).containsExactly("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256");
            assertThat(in.isReadable()).isFalse();
        } finally {
            in.release();
        }
    }
}
