package io.spikewatch.parsing;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Tells whether an event's time is plausible before it can move the watermark of its log source.
 * One instance per log source and parse subtask, the scope of the watermark generator that follows.
 *
 * <p>A log line's clock can be wrong (a bit flip, a misconfigured host), and a single event months
 * ahead would drag the watermark with it, turning every later, correct event into a late event. Two
 * rules, each off when its limit is zero:
 * <ul>
 *   <li><b>Ahead of arrival</b>: the event is more than {@code maxAheadOfArrival} after the time its
 *       record arrived (a Kinesis record's approximate arrival time): a log line cannot be written
 *       after it was delivered, beyond clock skew. The arrival time rather than the clock at the
 *       check makes the decision the same when a backlog is read again later. Records without an
 *       arrival time (0) skip this rule, and replay turns it off (a line's read time bounds
 *       nothing).</li>
 *   <li><b>Jump from the stream</b>: the event is more than {@code maxJump} before or after the
 *       stream's recent event time: the median, over the last {@value #RECENT} events of the source,
 *       of how far each event time was from its record's arrival (of the event time itself without
 *       arrival times). The reference follows the data, not the clock, so a replay of last month's
 *       logs is judged against last month; and as arrival times move on with event times, a quiet
 *       stream whose events come hours apart is no jump. Events judged implausible by this rule
 *       still enter the median: a
 *       stream that really jumps (a replay of two days with a gap between) is followed after
 *       {@value #RECENT} / 2 + 1 events, which become dead letters, while a wrong timestamp now and
 *       then never moves the median.</li>
 * </ul>
 * The first event of a source has no reference and is judged by the first rule only.
 *
 * <p>Behind the reference matters too: such an event would be a late event once a watermark has
 * passed it, but before the first watermark it would open a window (state, a rate document) months
 * in the past.
 */
public final class EventTimeCheck {
    /** Event times in the median: an odd count, robust to four wrong ones among nine. */
    static final int RECENT = 9;

    private final long maxAheadOfArrival;
    private final long maxJump;
    /**
     * Event time minus arrival time (event time alone without arrival times) of the recent events,
     * a ring; {@link #reference} is their median when last computed, at least every
     * {@value #RECENT} events.
     */
    private final long[] recent = new long[RECENT];
    private final long[] sorted = new long[RECENT];
    private int count;
    private int next;
    private long reference;
    private int sinceReference;

    /**
     * @param maxAheadOfArrival how far an event may be after its record's arrival; zero: no limit
     * @param maxJump           how far an event may be from the source's recent event time; zero: no limit
     */
    public EventTimeCheck(Duration maxAheadOfArrival, Duration maxJump) {
        this.maxAheadOfArrival = maxAheadOfArrival.toMillis();
        this.maxJump = maxJump.toMillis();
    }

    /**
     * Judges one event and remembers its time.
     *
     * @return null when the time is plausible, else why not (for the dead letter)
     */
    public String check(long eventTime, long arrivalTime) {
        if (maxAheadOfArrival > 0 && arrivalTime > 0 && difference(eventTime, arrivalTime) > maxAheadOfArrival) {
            // Not remembered: this rule does not depend on the stream, and such a time must not
            // pull the reference.
            return "event time " + instant(eventTime) + " is " + span(difference(eventTime, arrivalTime))
                    + " after its record arrived (" + instant(arrivalTime) + "; limit input.max-future-skew "
                    + span(maxAheadOfArrival) + ")";
        }
        if (maxJump <= 0) return null;
        // Judged as the event's distance from its record's arrival, so that a quiet stream whose
        // events come hours apart, and arrive hours apart, does not look like a jump.
        long lead = arrivalTime > 0 ? difference(eventTime, arrivalTime) : eventTime;
        if (count == 0) {
            remember(lead);
            reference = lead;
            return null;
        }
        // Most events are near a recent reference; the median is recomputed for the others only.
        if (Math.abs(difference(lead, reference)) <= maxJump && ++sinceReference < RECENT) {
            remember(lead);
            return null;
        }
        reference = median();
        sinceReference = 0;
        long off = difference(lead, reference);
        remember(lead);
        if (Math.abs(off) <= maxJump) return null;
        long expected = arrivalTime > 0 ? arrivalTime + reference : reference;
        return "event time " + instant(eventTime) + " is " + span(Math.abs(off)) + (off > 0 ? " ahead of" : " behind")
                + " the recent event time of its source (" + instant(expected) + "; limit input.max-event-time-jump "
                + span(maxJump) + ")";
    }

    private void remember(long eventTime) {
        recent[next] = eventTime;
        next = (next + 1) % RECENT;
        if (count < RECENT) count++;
    }

    private long median() {
        System.arraycopy(recent, 0, sorted, 0, count);
        Arrays.sort(sorted, 0, count);
        return sorted[count / 2];
    }

    /** {@code a - b}, saturated: timestamps come from input and may be anywhere in the long range. */
    private static long difference(long a, long b) {
        long d = a - b;
        if (((a ^ b) & (a ^ d)) < 0) return a > b ? Long.MAX_VALUE : Long.MIN_VALUE + 1;
        return d;
    }

    private static String instant(long millis) {
        try {
            return Instant.ofEpochMilli(millis).toString();
        } catch (RuntimeException outOfRange) {
            return Long.toString(millis);
        }
    }

    private static String span(long millis) {
        if (millis >= 86_400_000L) return (millis / 86_400_000L) + "d";
        if (millis >= 3_600_000L) return (millis / 3_600_000L) + "h";
        if (millis >= 60_000L) return (millis / 60_000L) + "m";
        return (millis / 1000) + "s";
    }
}
