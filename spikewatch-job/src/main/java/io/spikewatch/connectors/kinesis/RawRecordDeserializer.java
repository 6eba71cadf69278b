package io.spikewatch.connectors.kinesis;

import io.spikewatch.records.RawRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Record;
import org.apache.flink.util.Collector;

import java.time.Instant;

/**
 * Wraps one Kinesis record's bytes in a {@link RawRecord}: the configured stream name, the bytes as
 * they are, and the record's approximate arrival time (the reading time when Kinesis gave none).
 *
 * <p>No decoding here: gzip, CloudWatch envelopes, multi-line records and bad bytes are handled by
 * the workflow's parse step, which turns failures into dead letters. A source-side deserializer that
 * threw would fail (and restart) the job on one bad record.
 *
 * <p>One class serves both connector APIs: the FLIP-27 {@code KinesisStreamsSource} (which passes the
 * connector's relocated SDK {@code Record}) and the legacy {@code FlinkKinesisConsumer}. The stream
 * name is the configured one rather than what the connector passes, which is the ARN for the FLIP-27
 * source and the name for the legacy one; dead letters should say the same either way.
 */
public class RawRecordDeserializer
        implements org.apache.flink.connector.kinesis.source.serialization.KinesisDeserializationSchema<RawRecord>,
        org.apache.flink.streaming.connectors.kinesis.serialization.KinesisDeserializationSchema<RawRecord> {
    private static final long serialVersionUID = 1L;

    private final String streamName;

    public RawRecordDeserializer(String streamName) {
        this.streamName = streamName;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {}

    /** FLIP-27 {@code KinesisStreamsSource}. */
    @Override
    public void deserialize(Record record, String stream, String shardId, Collector<RawRecord> out) {
        Instant arrival = record.approximateArrivalTimestamp();
        out.collect(wrap(record.data().asByteArray(), arrival == null ? 0 : arrival.toEpochMilli()));
    }

    /** Legacy {@code FlinkKinesisConsumer} (polling and EFO). */
    @Override
    public RawRecord deserialize(byte[] recordValue, String partitionKey, String seqNum, long approxArrivalTimestamp,
                                 String stream, String shardId) {
        return wrap(recordValue, approxArrivalTimestamp);
    }

    RawRecord wrap(byte[] data, long approximateArrivalMillis) {
        long arrival = approximateArrivalMillis > 0 ? approximateArrivalMillis : System.currentTimeMillis();
        return new RawRecord(streamName, data == null ? new byte[0] : data, arrival);
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }
}
