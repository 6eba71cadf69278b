package io.spikewatch.loader;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PacedClockTest {
    private static final long WALL_START = 1_800_000_000_000L;
    private static final long ONE_HOUR = 3_600_000L;

    @Test
    void pastDataIsReplayedAtSpeedUntilItCatchesUpWithTheWallClock() {
        PacedClock clock = new PacedClock(WALL_START - ONE_HOUR, WALL_START, 60);
        assertThat(clock.eventTimeAt(WALL_START)).isEqualTo(WALL_START - ONE_HOUR);
        // 30 s of wall clock at 60x: half of the hour.
        assertThat(clock.eventTimeAt(WALL_START + 30_000)).isEqualTo(WALL_START - ONE_HOUR / 2);
        assertThat(clock.caughtUp(WALL_START + 30_000)).isFalse();
        // Caught up when 60 w = w + 1 h of wall clock w, after about 61 s; from then on real time.
        long later = WALL_START + 120_000;
        assertThat(clock.caughtUp(later)).isTrue();
        assertThat(clock.eventTimeAt(later)).isEqualTo(later);
    }

    @Test
    void neverRunsAheadOfTheWallClock() {
        PacedClock clock = new PacedClock(WALL_START, WALL_START, 100);
        assertThat(clock.eventTimeAt(WALL_START + 5_000)).isEqualTo(WALL_START + 5_000);
    }

    @Test
    void rejectsNonPositiveSpeed() {
        assertThatThrownBy(() -> new PacedClock(0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PacedClock(0, 0, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
