package io.spikewatch.functions;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.util.clock.RelativeClock;

import java.time.Duration;

/**
 * Watermarks of one log source on one subtask: bounded out-of-orderness while events come, and,
 * once the source has been quiet for {@code quietClose} of wall-clock time, an event-time clock that
 * keeps moving at wall-clock pace from the last event, so that windows that are due close anyway.
 *
 * <p>Why: a window closes when the watermark passes it, and the watermark moves only with events.
 * After a flood ends and the stream goes quiet, the last windows (the escalation of the last spike
 * window, the quiet windows that resolve the incident) would otherwise wait for unrelated traffic.
 * Flink's idleness does not help: an idle input stops holding back the others but does not move the
 * watermark, and when every input is idle nothing moves. Here the watermark after a quiet wait
 * {@code q} is {@code lastMax - outOfOrderness - 1 + q}: as if events had kept coming, on time, up
 * to now. It lives in the watermark generator rather than in processing-time timers of the
 * detection operators because it is a statement about the source (the detectors downstream see
 * one consistent watermark, including the late-event check) and because the generator already
 * runs on the input activity clock, which pauses while the subtask is back-pressured: a source
 * held up by a slow job is not quiet.
 *
 * <p>The costs: an event that arrives after a quiet period with a time behind the advanced watermark
 * is a late event (a delivery delayed by more than the quiet wait plus the out-of-orderness). And a
 * quiet subtask keeps its say in the watermark downstream instead of going idle: if its last event
 * lagged real time (a late batch, then nothing), it holds the other subtasks of its source back by
 * that lag for as long as it stays quiet, where idleness would have let them go on.
 *
 * <p>A subtask that has not seen an event yet has no event time to move on from; it is marked idle
 * after {@code idleness}, as {@link WatermarkStrategy#withIdleness} does, so that an input without
 * data (a subtask without a shard) does not hold the others back. With {@code quietClose} zero, the
 * generator is Flink's bounded out-of-orderness with idleness.
 *
 * <p>In replay the input activity clock is wall-clock time too: the source is quiet only when the
 * reader has no more lines of this log (the end of the input, or the other log's files being read),
 * and the final watermark at the end of the input closes every window anyway.
 */
public final class QuietSourceWatermarks<T> implements WatermarkGenerator<T> {
    private final long outOfOrderness;
    private final long idleness;
    private final long quietClose;
    private final RelativeClock clock;

    private long maxTimestamp = Long.MIN_VALUE;
    private boolean seenEvent;
    private long lastActivity;
    private boolean idle;

    public QuietSourceWatermarks(Duration outOfOrderness, Duration idleness, Duration quietClose, RelativeClock clock) {
        this.outOfOrderness = outOfOrderness.toMillis();
        this.idleness = idleness.toMillis();
        this.quietClose = quietClose.toMillis();
        this.clock = clock;
        this.lastActivity = clock.relativeTimeMillis();
    }

    /** The strategy for the workflow: this generator on the operator's input activity clock. */
    public static <T> WatermarkStrategy<T> strategy(Duration outOfOrderness, Duration idleness, Duration quietClose) {
        return WatermarkStrategy.forGenerator(
                ctx -> new QuietSourceWatermarks<>(outOfOrderness, idleness, quietClose, ctx.getInputActivityClock()));
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        if (eventTimestamp > maxTimestamp) maxTimestamp = eventTimestamp;
        seenEvent = true;
        lastActivity = clock.relativeTimeMillis();
        if (idle) {
            idle = false;
            output.markActive();
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long quiet = clock.relativeTimeMillis() - lastActivity;
        if (!seenEvent || quietClose <= 0) {
            if (idleness > 0 && quiet >= idleness) {
                if (!idle) output.markIdle();
                idle = true;
                return;
            }
            if (!seenEvent) return;
        }
        long watermark = saturatedAdd(maxTimestamp, -outOfOrderness - 1);
        if (quietClose > 0 && quiet >= quietClose) watermark = saturatedAdd(watermark, quiet);
        // The operator forwards only watermarks that advance.
        output.emitWatermark(new Watermark(watermark));
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        if (((a ^ sum) & (b ^ sum)) < 0) return b > 0 ? Long.MAX_VALUE - 1 : Long.MIN_VALUE;
        return sum;
    }
}
