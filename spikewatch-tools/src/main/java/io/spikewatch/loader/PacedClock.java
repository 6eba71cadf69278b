package io.spikewatch.loader;

/**
 * The event time a paced sender has reached at a given wall-clock time: {@code speed} times faster
 * than real time from {@code eventStartMillis} at {@code wallStartMillis}, but never ahead of the
 * wall clock, because logs from the future do not exist. Data that lies in the past therefore
 * catches up at {@code speed} and then continues in real time (what the latency benchmark needs: a
 * quick warm-up, then live traffic); data that ends in the past is simply replayed at {@code speed}.
 *
 * @param eventStartMillis event time sent at {@code wallStartMillis}
 * @param wallStartMillis  wall-clock start of the replay (epoch ms)
 * @param speed            event-time milliseconds per wall-clock millisecond, &gt; 0
 */
public record PacedClock(long eventStartMillis, long wallStartMillis, double speed) {
    public PacedClock {
        if (!(speed > 0) || Double.isInfinite(speed)) throw new IllegalArgumentException("speed must be > 0, got " + speed);
    }

    /** Everything with an event time at or before this may have been sent at {@code wallMillis}. */
    public long eventTimeAt(long wallMillis) {
        return Math.min(accelerated(wallMillis), wallMillis);
    }

    /** True once the accelerated clock has caught up with the wall clock (from then on: real time). */
    public boolean caughtUp(long wallMillis) {
        return accelerated(wallMillis) >= wallMillis;
    }

    private long accelerated(long wallMillis) {
        return eventStartMillis + (long) ((wallMillis - wallStartMillis) * speed);
    }
}
