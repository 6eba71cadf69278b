package io.spikewatch.cli;

import io.spikewatch.functions.ParseRecordsFunction;
import io.spikewatch.functions.SpikeDetectionOperator;
import io.spikewatch.records.LogSource;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What {@code ./spikewatch run} prints while the live job runs: a status line every minute from the
 * job's accumulators, and the root cause of each task failure (once per distinct cause, as Flink
 * restarts the job in a loop on a failure that repeats).
 */
final class LiveStatus {
    private LiveStatus() {}

    /** The job's counters at one moment; watermarks are epoch ms, {@link Long#MIN_VALUE} when none yet. */
    record Snapshot(long wafEvents, long albEvents, long alertsOpened, long deadLetters, long lateEvents,
                    long wafWatermark, long albWatermark) {
        static final Snapshot ZERO = new Snapshot(0, 0, 0, 0, 0, Long.MIN_VALUE, Long.MIN_VALUE);

        /** From accumulator values by name (absent ones count as zero / no watermark). */
        static Snapshot of(Map<String, String> accumulators) {
            return new Snapshot(number(accumulators, ParseRecordsFunction.ACC_WAF_EVENTS, 0),
                    number(accumulators, ParseRecordsFunction.ACC_ALB_EVENTS, 0),
                    number(accumulators, SpikeDetectionOperator.ACC_ALERTS_OPENED, 0),
                    number(accumulators, ParseRecordsFunction.ACC_DEAD_LETTERS, 0),
                    number(accumulators, SpikeDetectionOperator.ACC_LATE_EVENTS, 0),
                    number(accumulators, SpikeDetectionOperator.watermarkAccumulator(LogSource.WAF), Long.MIN_VALUE),
                    number(accumulators, SpikeDetectionOperator.watermarkAccumulator(LogSource.ALB), Long.MIN_VALUE));
        }

        private static long number(Map<String, String> values, String name, long absent) {
            String v = values.get(name);
            if (v == null) return absent;
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                return absent;
            }
        }
    }

    /**
     * The status line, e.g. {@code spikewatch: status: events in 1,234 (+600; waf 1,000, alb 234),
     * alerts opened 2 (+1), dead letters 5 (+0; 3 late), watermark lag waf 12s, alb 5m10s}; the
     * {@code +} figures are since {@code before}.
     */
    static String line(Snapshot now, Snapshot before, long wallClockMillis) {
        long events = now.wafEvents + now.albEvents;
        long dead = now.deadLetters + now.lateEvents;
        return String.format(Locale.ROOT,
                "spikewatch: status: events in %,d (+%,d; waf %,d, alb %,d), alerts opened %,d (+%,d), "
                        + "dead letters %,d (+%,d; %,d late), watermark lag waf %s, alb %s",
                events, events - before.wafEvents - before.albEvents, now.wafEvents, now.albEvents,
                now.alertsOpened, now.alertsOpened - before.alertsOpened,
                dead, dead - before.deadLetters - before.lateEvents, now.lateEvents,
                lag(now.wafWatermark, wallClockMillis), lag(now.albWatermark, wallClockMillis));
    }

    static String lag(long watermark, long wallClockMillis) {
        if (watermark == Long.MIN_VALUE) return "none yet";
        if (watermark == Long.MAX_VALUE) return "input ended";
        long ms = wallClockMillis - watermark;
        String sign = ms < 0 ? "-" : "";
        long s = Math.abs(ms) / 1000;
        if (s < 60) return sign + s + "s";
        if (s < 3600) return sign + (s / 60) + "m" + (s % 60) + "s";
        if (s < 86_400) return sign + (s / 3600) + "h" + (s % 3600 / 60) + "m";
        return sign + (s / 86_400) + "d" + (s % 86_400 / 3600) + "h";
    }

    /** Remembers the failure causes already printed, so a restart loop prints each cause once. */
    static final class Failures {
        private final Set<String> printed = new HashSet<>();
        private long lastTimestamp = Long.MIN_VALUE;

        /**
         * The line to print for the failure at {@code timestamp} with this root cause, or null when
         * it was reported already (the same failure seen again, or a cause printed before).
         */
        String report(long timestamp, String rootCause, String jobState) {
            if (timestamp == lastTimestamp) return null;
            lastTimestamp = timestamp;
            if (!printed.add(rootCause)) return null;
            return "spikewatch: live job task failed (job " + jobState + "): " + rootCause
                    + (printed.size() == 1 ? "" : " [distinct cause " + printed.size() + "]");
        }
    }
}
