package io.spikewatch.loader;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Streams log files into Kinesis the way live logs arrive: in event-time order, on a
 * {@link PacedClock} (accelerated through the past, never ahead of the wall clock), one small
 * PutRecords round per tick. {@code live-demo} and the detection-latency benchmark use it against
 * the local stack.
 *
 * <p>Each round takes, per {@link Lane} (one log family and its stream), every line whose event time
 * the clock has reached, packs the lines with {@link LogRecordPacker} (e.g. WAF as CloudWatch Logs
 * envelopes, ALB as gzip batches, at most {@code maxLinesPerRecord} per record) and sends them with
 * {@link KinesisLoader} (failed entries retried). The last, partly filled record of a round is sent
 * too rather than held for the next one, so a line waits at most one tick.
 *
 * <p>Lines can also be injected while streaming ({@link #inject}), e.g. a flood made in real time:
 * they go out in the next round, merged in event-time order with the files' lines, and their callback
 * gets the {@link System#nanoTime()} at which PutRecords had accepted them.
 *
 * <p>Throughput: the local Kinesis engine spends milliseconds of CPU per record and more per byte, so
 * the record rate is kept near (rounds per second × lanes) plus one record per
 * {@code maxLinesPerRecord} lines. When a round takes longer than a tick the next round takes
 * everything that has become due meanwhile: the sender falls behind the clock (progress reports the
 * slowest round) and catches up when the rate drops; nothing is skipped.
 */
public final class PacedLogStreamer implements AutoCloseable {
    /** One log family on its way to its stream: the file lines, the packing and the loader. */
    public static final class Lane {
        private final String label;
        private final LogLineCursor lines;
        private final KinesisLoader loader;
        private final LogRecordPacker packer;
        private final Queue<Injected> injected = new ConcurrentLinkedQueue<>();
        private final List<LongConsumer> pendingCallbacks = new ArrayList<>();

        /**
         * @param label             name in progress lines, e.g. "WAF"
         * @param lines             the file lines ({@link LogLineCursor#empty()} for injection only)
         * @param loader            sends to the lane's stream; closed with the streamer
         * @param maxLinesPerRecord lines per record for gzip and cloudwatch packing
         */
        public Lane(String label, LogLineCursor lines, KinesisLoader loader, LogRecordPacker.Format format,
                    int maxLinesPerRecord, LogRecordPacker.CloudWatchMeta meta, Random random) {
            this.label = label;
            this.lines = lines;
            this.loader = loader;
            this.packer = new LogRecordPacker(format, maxLinesPerRecord, meta, random, loader::add);
        }

        private boolean exhausted() throws IOException {
            return !lines.hasNext() && injected.isEmpty();
        }
    }

    private record Injected(String line, long eventTime, LongConsumer onAccepted) {}

    /** What was sent: per lane in constructor order, and the event-time span covered. */
    public record Summary(List<KinesisLoader.Summary> lanes, Duration elapsed, long firstEventTime, long lastEventTime) {
        public long lines() {
            return lanes.stream().mapToLong(KinesisLoader.Summary::lines).sum();
        }

        public long records() {
            return lanes.stream().mapToLong(KinesisLoader.Summary::records).sum();
        }
    }

    private final List<Lane> lanes;
    private final PacedClock clock;
    private final Duration tick;
    private final Duration progressEvery;
    private final Consumer<String> progress;
    private volatile long reached = Long.MIN_VALUE;
    private long firstEventTime = Long.MIN_VALUE;
    private long lastEventTime = Long.MIN_VALUE;

    /**
     * @param tick          pause between rounds (a round that takes longer is followed immediately by the next)
     * @param progressEvery how often {@code progress} gets a line (wall clock)
     * @param progress      receives progress lines, or null
     */
    public PacedLogStreamer(List<Lane> lanes, PacedClock clock, Duration tick, Duration progressEvery,
                            Consumer<String> progress) {
        if (lanes.isEmpty()) throw new IllegalArgumentException("no lanes");
        if (tick.isNegative() || tick.isZero()) throw new IllegalArgumentException("tick must be > 0");
        this.lanes = List.copyOf(lanes);
        this.clock = clock;
        this.tick = tick;
        this.progressEvery = progressEvery;
        this.progress = progress;
    }

    /** Streams until every file line has been sent (injected lines pending at that point go too). */
    public Summary streamAll() throws IOException, InterruptedException {
        return loop(this::exhausted);
    }

    /** Streams until {@code stop} says so, sending injected lines after the files have run out. */
    public Summary streamUntil(BooleanSupplier stop) throws IOException, InterruptedException {
        return loop(stop::getAsBoolean);
    }

    /**
     * Queues a line for the lane with this index (constructor order), for the next round. Thread-safe.
     *
     * @param eventTime  the line's event time (epoch ms), for ordering
     * @param onAccepted receives {@link System#nanoTime()} after PutRecords accepted the line, on the streamer's thread
     */
    public void inject(int lane, String line, long eventTime, LongConsumer onAccepted) {
        lanes.get(lane).injected.add(new Injected(line, eventTime, onAccepted));
    }

    /** The event time every file line up to which has been sent ({@link Long#MIN_VALUE} before the first round). */
    public long eventTimeReached() {
        return reached;
    }

    private interface Condition {
        boolean met() throws IOException;
    }

    private boolean exhausted() throws IOException {
        for (Lane l : lanes) {
            if (!l.exhausted()) return false;
        }
        return true;
    }

    private Summary loop(Condition stop) throws IOException, InterruptedException {
        long started = System.nanoTime();
        long nextProgress = started + progressEvery.toNanos();
        long slowest = 0;
        while (!stop.met()) {
            long roundStart = System.nanoTime();
            long until = clock.eventTimeAt(System.currentTimeMillis());
            for (Lane lane : lanes) sendDue(lane, until);
            reached = until;
            long now = System.nanoTime();
            slowest = Math.max(slowest, now - roundStart);
            if (progress != null && now >= nextProgress) {
                progress.accept(progressLine(until, Duration.ofNanos(slowest)));
                slowest = 0;
                nextProgress = now + progressEvery.toNanos();
            }
            long pause = tick.toNanos() - (now - roundStart);
            if (pause > 0) Thread.sleep(pause / 1_000_000, (int) (pause % 1_000_000));
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        List<KinesisLoader.Summary> summaries = new ArrayList<>();
        for (Lane l : lanes) summaries.add(l.loader.summary(l.packer.skippedLines(), elapsed));
        return new Summary(summaries, elapsed, firstEventTime, lastEventTime);
    }

    /** One round of one lane: due file lines and all injected ones, merged by event time, then sent. */
    private void sendDue(Lane lane, long until) throws IOException {
        while (true) {
            Injected inj = lane.injected.peek();
            boolean fileLineDue = lane.lines.hasNext() && lane.lines.peekTime() <= until;
            if (inj != null && (!fileLineDue || inj.eventTime() <= lane.lines.peekTime())) {
                lane.injected.poll();
                add(lane, inj.line(), inj.eventTime());
                lane.pendingCallbacks.add(inj.onAccepted());
            } else if (fileLineDue) {
                long t = lane.lines.peekTime();
                add(lane, lane.lines.next(), t);
            } else {
                break;
            }
        }
        lane.packer.finish();
        lane.loader.flush();
        if (!lane.pendingCallbacks.isEmpty()) {
            long accepted = System.nanoTime();
            for (LongConsumer c : lane.pendingCallbacks) c.accept(accepted);
            lane.pendingCallbacks.clear();
        }
    }

    private void add(Lane lane, String line, long eventTime) throws IOException {
        lane.packer.add(line);
        if (eventTime != Long.MIN_VALUE) {
            if (firstEventTime == Long.MIN_VALUE) firstEventTime = eventTime;
            lastEventTime = Math.max(lastEventTime, eventTime);
        }
    }

    private String progressLine(long until, Duration slowest) {
        StringBuilder b = new StringBuilder();
        b.append("event time ").append(Instant.ofEpochMilli(until).truncatedTo(ChronoUnit.SECONDS));
        b.append(clock.caughtUp(System.currentTimeMillis()) ? " (real time)" : "");
        long records = 0;
        for (Lane l : lanes) {
            KinesisLoader.Summary s = l.loader.summary(0, Duration.ZERO);
            b.append(String.format(Locale.ROOT, ", %s %,d lines", l.label, s.lines()));
            records += s.records();
        }
        b.append(String.format(Locale.ROOT, ", %,d records, slowest round %.2fs", records, slowest.toNanos() / 1e9));
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        for (Lane l : lanes) {
            l.lines.close();
            l.loader.close();
        }
    }
}
