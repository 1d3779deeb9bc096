package io.pgwarden.health.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LsnTest {

    @Test
    void parsesAndPrintsThePostgresTextForm() {
        Lsn lsn = Lsn.parse("16/B374D848");
        assertThat(lsn.value()).isEqualTo(0x16_B374_D848L);
        assertThat(lsn).hasToString("16/B374D848");
        assertThat(Lsn.parse("0/3000148")).hasToString("0/3000148");
    }

    @Test
    void ordersByPositionAndMeasuresDistanceInBytes() {
        Lsn earlier = Lsn.parse("0/FFFFFFFF");
        Lsn later = Lsn.parse("1/0");
        assertThat(earlier).isLessThan(later);
        assertThat(later.minus(earlier)).isEqualTo(1);
        assertThat(earlier.minus(later)).isEqualTo(-1);
    }

    @Test
    void rejectsWhatIsNotAnLsn() {
        assertThatThrownBy(() -> Lsn.parse("12345")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lsn.parse("0/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Lsn.parse("100000000/0")).isInstanceOf(IllegalArgumentException.class);
    }
}
