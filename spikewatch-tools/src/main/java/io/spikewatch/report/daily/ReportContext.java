package io.spikewatch.report.daily;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** What panels need to render: the day and its time zone for local times. */
record ReportContext(BusinessDay day) {
    private static final DateTimeFormatter HOUR_MINUTE = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    String time(long epochMillis) {
        return HOUR_MINUTE.withZone(day.zone()).format(Instant.ofEpochMilli(epochMillis));
    }

    String dateTime(long epochMillis) {
        return epochMillis == Long.MIN_VALUE ? "–" : DATE_TIME.withZone(day.zone()).format(Instant.ofEpochMilli(epochMillis));
    }
}
