package io.pgwarden.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WriteTimelineTest {

    @Test
    void reportsTheFirstAcknowledgedWriteAndNothingForLaterOnes() {
        WriteTimeline timeline = new WriteTimeline();

        assertThat(timeline.acknowledged(100, 105, 1)).contains("ready 105 1");
        assertThat(timeline.acknowledged(110, 112, 2)).isEmpty();
        assertThat(timeline.acknowledgedCount()).isEqualTo(2);
    }

    @Test
    void failuresBeforeTheFirstWriteAreNotAnOutage() {
        WriteTimeline timeline = new WriteTimeline();

        assertThat(timeline.failed(50, "08001", "Connection refused")).isEmpty();
        assertThat(timeline.acknowledged(60, 70, 2)).contains("ready 70 2");
        assertThat(timeline.failedAttempts()).isEqualTo(1);
    }

    @Test
    void anOutageIsOneDownLineAndOneUpLineCountingTheAttemptsInBetween() {
        WriteTimeline timeline = new WriteTimeline();
        timeline.acknowledged(100, 105, 1);

        assertThat(timeline.failed(200, "08006", "An I/O error occurred\n  while sending"))
                .contains("down 200 105 08006 An I/O error occurred while sending");
        assertThat(timeline.failed(220, null, "Connection refused")).isEmpty();
        assertThat(timeline.failed(240, "57P03", "no primary")).isEmpty();
        assertThat(timeline.acknowledged(2500, 2510, 9)).contains("up 2510 2500 3 57P03 no primary");
        assertThat(timeline.acknowledged(2520, 2521, 10)).isEmpty();
        assertThat(timeline.failedAttempts()).isEqualTo(3);
    }

    @Test
    void eachOutageCountsItsOwnAttempts() {
        WriteTimeline timeline = new WriteTimeline();
        timeline.acknowledged(1, 2, 1);
        timeline.failed(3, "08006", "first");
        timeline.failed(4, "08006", "first again");
        timeline.acknowledged(5, 6, 4);

        assertThat(timeline.failed(7, "", "second")).contains("down 7 6 - second");
        assertThat(timeline.acknowledged(8, 9, 6)).contains("up 9 8 1 - second");
    }
}
