package io.spikewatch.functions;

import io.spikewatch.detection.Dimension;
import io.spikewatch.detection.Observation;
import io.spikewatch.detection.ObservationCombiner;
import io.spikewatch.records.AccessEvent;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Turns each event into the observations of its keys: one ip observation per event on the main
 * output, and pre-aggregated country and scope observations ({@link ObservationCombiner}) on the
 * {@link #AGGREGATES} side output.
 *
 * <p>Nothing stays buffered across a watermark or a checkpoint: open aggregates are emitted before
 * a watermark is forwarded (so a window's counts reach the detector before the watermark that
 * closes it), before the checkpoint barrier (so the operator needs no state), at the end of input,
 * and once a second of processing time (so a quiet live stream still gets its counts through).
 */
public class FanOutObservations extends AbstractStreamOperator<Observation>
        implements OneInputStreamOperator<AccessEvent, Observation> {
    private static final long serialVersionUID = 1L;
    public static final OutputTag<Observation> AGGREGATES =
            new OutputTag<>("country-scope-observations", ObservationSerializer.TypeInfo.INSTANCE);
    static final long FLUSH_INTERVAL_MILLIS = 1_000;

    private final long windowMillis;
    private transient ObservationCombiner combiner;
    private transient StreamRecord<Observation> ipRecord;
    private transient StreamRecord<Observation> aggregateRecord;
    private transient ObservationCombiner.Output toSideOutput;
    /** The last watermark forwarded; an event whose window it has closed is late downstream too. */
    private transient long watermark;

    public FanOutObservations(long windowMillis) {
        this.windowMillis = windowMillis;
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    @Override
    public void open() throws Exception {
        super.open();
        combiner = new ObservationCombiner(windowMillis);
        watermark = Long.MIN_VALUE;
        ipRecord = new StreamRecord<>(null);
        aggregateRecord = new StreamRecord<>(null);
        toSideOutput = o -> output.collect(AGGREGATES, aggregateRecord.replace(o, o.lastEventTime));
        getProcessingTimeService().scheduleWithFixedDelay(t -> combiner.flushAll(toSideOutput),
                FLUSH_INTERVAL_MILLIS, FLUSH_INTERVAL_MILLIS);
    }

    @Override
    public void processElement(StreamRecord<AccessEvent> element) {
        AccessEvent e = element.getValue();
        // Encoded once for the ip observation and the country/scope observations that sample it.
        byte[] sample = Observation.encodeSample(e);
        if (e.clientIp != null) {
            Observation o = Observation.ofEvent(Dimension.IP, e.clientIp, e, sample);
            // The resource (a web ACL ARN, ~100 characters) only serves the dead letter of a late
            // event, so it is shipped only with events already late here. The detector's watermark
            // is the minimum over its inputs and comes after this record on this channel, so an
            // event late there was late here already.
            if (Math.floorDiv(e.timestamp, windowMillis) * windowMillis + windowMillis - 1 > watermark) {
                o.resource = null;
            }
            output.collect(ipRecord.replace(o, e.timestamp));
        }
        combiner.add(e, sample, toSideOutput);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        combiner.flushAll(toSideOutput);
        watermark = mark.getTimestamp();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        combiner.flushAll(toSideOutput);
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        combiner.flushAll(toSideOutput);
        super.finish();
    }
}
