package io.spikewatch.parsing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class EventTimeCheckTest {
    private static final long SECOND = 1000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
    /** A replay of November's logs read a month later: arrival (read) times far after the events. */
    private static final long READ = T0 + 35 * DAY;

    private final EventTimeCheck check = new EventTimeCheck(Duration.ofMinutes(15), Duration.ofHours(1));

    @Test
    void eventsAFewSecondsAfterTheirArrivalArePlausibleMoreThanTheSkewIsNot() {
        assertThat(check.check(T0 + 5 * SECOND, T0)).isNull();
        assertThat(check.check(T0 + 16 * MINUTE, T0))
                .contains("16m after its record arrived").contains("input.max-future-skew 15m");
    }

    @Test
    void withoutAnArrivalTimeOnlyTheStreamJudges() {
        EventTimeCheck noArrival = new EventTimeCheck(Duration.ofMinutes(15), Duration.ofHours(1));
        for (int i = 0; i < 20; i++) assertThat(noArrival.check(T0 + i * SECOND, 0)).isNull();
        assertThat(noArrival.check(T0 + 90 * DAY, 0)).contains("89d ahead of").contains("input.max-event-time-jump 1h");
        assertThat(noArrival.check(T0 + 21 * SECOND, 0)).isNull();
    }

    @Test
    void oneEventMonthsAheadAmongLastMonthsLogsIsImplausibleAndTheStreamGoesOn() {
        for (int i = 0; i < 50; i++) assertThat(check.check(T0 + i * SECOND, READ + i)).isNull();
        // Still before the read time, so only the stream can tell it is wrong.
        assertThat(check.check(T0 + 30 * DAY, READ + 50)).contains("ahead of the recent event time");
        for (int i = 51; i < 100; i++) assertThat(check.check(T0 + i * SECOND, READ + i)).isNull();
    }

    @Test
    void oneEventMonthsBehindIsImplausibleToo() {
        for (int i = 0; i < 20; i++) check.check(T0 + i * SECOND, READ + i);
        assertThat(check.check(T0 - 90 * DAY, READ + 20)).contains("90d behind");
        assertThat(check.check(T0 + 21 * SECOND, READ + 21)).isNull();
    }

    @Test
    void aStreamThatReallyJumpsIsFollowedAfterFiveEvents() {
        for (int i = 0; i < 20; i++) check.check(T0 + i * SECOND, READ + i);
        // The next file of the replay starts a day later.
        int rejected = 0;
        for (int i = 0; i < 20; i++) {
            String verdict = check.check(T0 + DAY + i * SECOND, READ + 20 + i);
            if (verdict != null) rejected++;
            else assertThat(i).isGreaterThanOrEqualTo(EventTimeCheck.RECENT / 2 + 1);
        }
        assertThat(rejected).isEqualTo(EventTimeCheck.RECENT / 2 + 1);
    }

    @Test
    void aQuietLiveStreamWhoseEventsComeHoursApartIsNoJump() {
        for (int i = 0; i < 12; i++) {
            long t = T0 + i * 3 * HOUR;
            assertThat(check.check(t, t + 40 * SECOND)).isNull();
        }
    }

    @Test
    void extremeTimestampsAreJudgedWithoutOverflow() {
        for (int i = 0; i < 10; i++) check.check(T0 + i * SECOND, READ + i);
        assertThat(check.check(Long.MAX_VALUE, READ + 10)).isNotNull();
        assertThat(check.check(Long.MIN_VALUE, READ + 11)).isNotNull();
        assertThat(check.check(Long.MAX_VALUE, 0)).isNotNull();
        assertThat(check.check(T0 + 12 * SECOND, READ + 12)).isNull();
    }

    @Test
    void aStreamWithOneTimestampInTenWrongKeepsEveryCorrectEventAndRejectsEveryWrongOne() {
        Random random = new Random(16);
        for (int i = 0; i < 5_000; i++) {
            long t = T0 + i * 100L;
            if (i > 0 && random.nextInt(10) == 0) {
                // A flipped digit: months to years either way.
                long wrong = t + (random.nextBoolean() ? 1 : -1) * (30 + random.nextInt(700)) * DAY;
                assertThat(check.check(wrong, READ + i)).as("wrong event %d", i).isNotNull();
            } else {
                assertThat(check.check(t, READ + i)).as("correct event %d", i).isNull();
            }
        }
    }

    @Test
    void zeroLimitsDisableBothRules() {
        EventTimeCheck off = new EventTimeCheck(Duration.ZERO, Duration.ZERO);
        for (int i = 0; i < 10; i++) off.check(T0 + i, T0);
        assertThat(off.check(T0 + 90 * DAY, T0)).isNull();
    }
}
