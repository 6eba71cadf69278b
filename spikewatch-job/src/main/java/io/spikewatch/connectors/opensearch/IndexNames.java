package io.spikewatch.connectors.opensearch;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Index names of the output contract, all in UTC: rates {@code PREFIX-rates-YYYY.MM.DD} (day of the
 * window start), alerts {@code PREFIX-alerts-YYYY.MM} (month of the first detection, so every
 * update of an incident lands in the same index), dead letters {@code PREFIX-deadletter-YYYY.MM.DD}.
 * Templates and retention policies match the {@code *Pattern} names.
 */
public final class IndexNames {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu.MM.dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("uuuu.MM").withZone(ZoneOffset.UTC);

    public static final String RATES = "rates";
    public static final String ALERTS = "alerts";
    public static final String DEAD_LETTERS = "deadletter";

    private IndexNames() {}

    public static String rates(String prefix, long windowStartMillis) {
        return prefix + "-" + RATES + "-" + DAY.format(Instant.ofEpochMilli(windowStartMillis));
    }

    public static String alerts(String prefix, long firstDetectionMillis) {
        return prefix + "-" + ALERTS + "-" + MONTH.format(Instant.ofEpochMilli(firstDetectionMillis));
    }

    public static String deadLetters(String prefix, long timestampMillis) {
        return prefix + "-" + DEAD_LETTERS + "-" + DAY.format(Instant.ofEpochMilli(timestampMillis));
    }

    /** {@code PREFIX-KIND-*}: what the template and retention policy of one kind match. */
    public static String pattern(String prefix, String kind) {
        return prefix + "-" + kind + "-*";
    }

    /** Name of the index template (and retention policy) of one kind: {@code PREFIX-KIND}. */
    public static String templateName(String prefix, String kind) {
        return prefix + "-" + kind;
    }
}
