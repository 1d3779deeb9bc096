package io.pgwarden.protocol.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgwarden.protocol.SqlState;
import org.junit.jupiter.api.Test;

class PackedSqlStateTest {

    @Test
    void everySqlStateOfTheProxyRoundTrips() {
        for (SqlState state : SqlState.values()) {
            final int packed = PackedSqlState.pack(state.code());
            assertThat(packed).isNotNegative();
            assertThat(PackedSqlState.unpack(packed)).isEqualTo(state.code());
        }
    }

    @Test
    void packsLikePostgresMakeSqlState() {
        // MAKE_SQLSTATE('0','0','0','0','0') is 0; '1' in the first position is 1; in the second 1 << 6.
        assertThat(PackedSqlState.pack("00000")).isZero();
        assertThat(PackedSqlState.pack("10000")).isEqualTo(1);
        assertThat(PackedSqlState.pack("01000")).isEqualTo(1 << 6);
        assertThat(PackedSqlState.pack("0000Z")).isEqualTo(('Z' - '0') << 24);
    }

    @Test
    void packsTheScannersBytesTheSameWay() {
        long bytes = 0;
        for (char c : "57P01".toCharArray()) {
            bytes = bytes << 8 | c;
        }
        assertThat(PackedSqlState.packBytes(bytes)).isEqualTo(PackedSqlState.pack("57P01"));
        assertThat(PackedSqlState.packBytes(bytes & ~0xFFL | 'p')).as("57P0p").isEqualTo(PackedSqlState.NONE);
    }

    @Test
    void classIsTheFirstTwoCharacters() {
        assertThat(PackedSqlState.sqlStateClass(PackedSqlState.pack("08P01")))
            .isEqualTo(PackedSqlState.sqlStateClass(PackedSqlState.pack("08006")))
            .isNotEqualTo(PackedSqlState.sqlStateClass(PackedSqlState.pack("57P01")));
        assertThat(PackedSqlState.sqlStateClass(PackedSqlState.NONE)).isEqualTo(PackedSqlState.NONE);
    }

    @Test
    void rejectsWhatIsNotASqlState() {
        assertThatThrownBy(() -> PackedSqlState.pack("0800")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PackedSqlState.pack("08p01")).isInstanceOf(IllegalArgumentException.class);
        assertThat(PackedSqlState.unpack(PackedSqlState.NONE)).isNull();
    }
}
