package io.spikewatch.report.daily;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

class BusinessDayTest {
    private static final LocalTime FIVE_PM = LocalTime.of(17, 0);
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    @Test
    void runsFromThePreviousCutoffToTheCutoffOfItsDate() {
        BusinessDay d = new BusinessDay(LocalDate.parse("2026-11-02"), FIVE_PM, TOKYO);
        assertThat(d.start()).isEqualTo(Instant.parse("2026-11-01T08:00:00Z"));
        assertThat(d.end()).isEqualTo(Instant.parse("2026-11-02T08:00:00Z"));
    }

    @Test
    void theDayHoldingAnInstantAndTheLastOneEnded() {
        Instant justAfter = Instant.parse("2026-11-02T08:05:00Z");
        assertThat(BusinessDay.containing(justAfter, FIVE_PM, TOKYO).date()).isEqualTo(LocalDate.parse("2026-11-03"));
        assertThat(BusinessDay.lastEndedBy(justAfter, FIVE_PM, TOKYO).date()).isEqualTo(LocalDate.parse("2026-11-02"));
        Instant atCutoff = Instant.parse("2026-11-02T08:00:00Z");
        assertThat(BusinessDay.containing(atCutoff, FIVE_PM, TOKYO).start()).isEqualTo(atCutoff);
        assertThat(BusinessDay.containing(atCutoff.minusMillis(1), FIVE_PM, TOKYO).end()).isEqualTo(atCutoff);
    }

    @Test
    void aDstChangeMakesA23HourDay() {
        BusinessDay d = new BusinessDay(LocalDate.parse("2026-03-29"), FIVE_PM, ZoneId.of("Europe/Berlin"));
        assertThat(d.length()).isEqualTo(Duration.ofHours(23));
    }
}
