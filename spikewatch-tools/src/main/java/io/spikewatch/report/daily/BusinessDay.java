package io.spikewatch.report.daily;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * The analyst's business day: from the cut-off hour of the previous day to the cut-off hour of
 * {@code date}, in the team's time zone (e.g. 2026-11-02 with cut-off 17:00 Asia/Tokyo is
 * 2026-11-01T17:00+09:00 to 2026-11-02T17:00+09:00). Days around a DST change are 23 or 25 hours.
 */
public record BusinessDay(LocalDate date, LocalTime cutoff, ZoneId zone) {

    public Instant start() {
        return date.minusDays(1).atTime(cutoff).atZone(zone).toInstant();
    }

    public Instant end() {
        return date.atTime(cutoff).atZone(zone).toInstant();
    }

    public Duration length() {
        return Duration.between(start(), end());
    }

    public BusinessDay minusDays(int days) {
        return new BusinessDay(date.minusDays(days), cutoff, zone);
    }

    /** The business day holding {@code t} (start inclusive, end exclusive). */
    public static BusinessDay containing(Instant t, LocalTime cutoff, ZoneId zone) {
        LocalDate d = t.atZone(zone).toLocalDate();
        BusinessDay day = new BusinessDay(d, cutoff, zone);
        while (!t.isBefore(day.end())) day = new BusinessDay(day.date.plusDays(1), cutoff, zone);
        while (t.isBefore(day.start())) day = day.minusDays(1);
        return day;
    }

    /** The latest business day that has ended by {@code t}: at 17:05 with cut-off 17:00, the day that ended at 17:00. */
    public static BusinessDay lastEndedBy(Instant t, LocalTime cutoff, ZoneId zone) {
        return containing(t, cutoff, zone).minusDays(1);
    }
}
