package io.spikewatch.functions;

import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.api.common.accumulators.SimpleAccumulator;

/**
 * An accumulator holding a subtask's current watermark (each {@link #add} replaces it); merged
 * over subtasks it is the smallest, the watermark the job as a whole has reached. Read by
 * {@code ./spikewatch run} for the watermark lag in its status line; {@link Long#MIN_VALUE} means
 * no watermark yet.
 */
public final class CurrentWatermark implements SimpleAccumulator<Long> {
    private static final long serialVersionUID = 1L;

    private long watermark = Long.MIN_VALUE;

    @Override
    public void add(Long value) {
        watermark = value;
    }

    @Override
    public Long getLocalValue() {
        return watermark;
    }

    @Override
    public void resetLocal() {
        watermark = Long.MIN_VALUE;
    }

    @Override
    public void merge(Accumulator<Long, Long> other) {
        watermark = Math.min(watermark, other.getLocalValue());
    }

    @Override
    public CurrentWatermark clone() {
        CurrentWatermark copy = new CurrentWatermark();
        copy.watermark = watermark;
        return copy;
    }
}
