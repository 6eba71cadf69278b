package io.spikewatch.connectors.kinesis;

import io.spikewatch.config.ConfigException;
import io.spikewatch.records.RawRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kinesis.source.KinesisStreamsSource;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigConstants;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.connectors.kinesis.FlinkKinesisConsumer;

import java.time.Instant;
import java.util.List;
import java.util.Properties;

/**
 * Builds the live job's input: one Kinesis source per configured stream (WAF, ALB), unioned into
 * the {@code DataStream<RawRecord>} that {@code SpikewatchWorkflow} takes.
 *
 * <p>The source class follows {@link KinesisSettings.Reader}: {@code polling} uses the FLIP-27
 * {@link KinesisStreamsSource}; {@code legacy-polling} and {@code efo} use the legacy
 * {@link FlinkKinesisConsumer}, the only class in this connector line with enhanced fan-out and a
 * configurable poll interval. Each source has a stable uid per class ({@link KinesisSettings.StreamInput#uid()}).
 *
 * <p>Watermarks: none at the source ({@link WatermarkStrategy#noWatermarks()}); the workflow assigns
 * them per log source after parsing, from the events' own timestamps. That is also why an idle stream
 * (or an idle shard, or a source subtask with no shard) cannot hold anything back: nothing downstream
 * waits for a source watermark. The watermark operator after parsing ignores incoming watermarks and
 * emits its own from the events it sees, and its {@code withIdleness} covers parallel instances that
 * see no events of that log source. Arrival times are carried in {@link RawRecord#arrivalTime} for
 * dead letters only.
 *
 * <p>The connector's configuration keys are passed as plain strings ({@code aws.region},
 * {@code aws.endpoint}, {@code aws.credentials.provider}): its AWS base classes are relocated inside
 * the jar, so their constants are not a stable API to compile against. The credential properties
 * come from {@link io.spikewatch.connectors.AwsAuth#kinesisConnectorProperties()}: {@code AUTO} (the
 * default chain) or {@code PROFILE} for {@code aws.credentials.profile}.
 */
public final class KinesisInputs {
    static final String AWS_REGION = "aws.region";
    static final String AWS_ENDPOINT = "aws.endpoint";

    // Legacy FlinkKinesisConsumer keys (ConsumerConfigConstants), as strings for the same reason.
    static final String LEGACY_INITIAL_POSITION = "flink.stream.initpos";
    static final String LEGACY_INITIAL_TIMESTAMP = "flink.stream.initpos.timestamp";
    static final String LEGACY_POLL_INTERVAL = "flink.shard.getrecords.intervalmillis";
    static final String LEGACY_MAX_RECORDS = "flink.shard.getrecords.maxrecordcount";
    static final String LEGACY_RECORD_PUBLISHER = "flink.stream.recordpublisher";
    static final String LEGACY_EFO_CONSUMER_NAME = "flink.stream.efo.consumername";
    static final String SHARD_DISCOVERY_INTERVAL = "flink.shard.discovery.intervalmillis";

    private KinesisInputs() {}

    /**
     * One source per configured stream, unioned. Fails with a {@link ConfigException} when no stream
     * is configured.
     */
    public static DataStream<RawRecord> create(StreamExecutionEnvironment env, KinesisSettings settings) {
        List<KinesisSettings.StreamInput> inputs = settings.inputs();
        if (inputs.isEmpty()) {
            throw new ConfigException("no Kinesis input configured: set kinesis.waf.stream and/or kinesis.alb.stream");
        }
        DataStream<RawRecord> all = null;
        for (KinesisSettings.StreamInput in : inputs) {
            DataStream<RawRecord> one = source(env, in);
            all = all == null ? one : all.union(one);
        }
        return all;
    }

    /** The source of one stream, with its uid and name. */
    public static DataStream<RawRecord> source(StreamExecutionEnvironment env, KinesisSettings.StreamInput in) {
        RawRecordDeserializer schema = new RawRecordDeserializer(in.streamName());
        // Explicit type information: neither source class reports one that fromSource/addSource trust.
        TypeInformation<RawRecord> type = TypeInformation.of(RawRecord.class);
        if (in.reader() == KinesisSettings.Reader.POLLING) {
            KinesisStreamsSource<RawRecord> source = KinesisStreamsSource.<RawRecord>builder()
                    .setStreamArn(in.streamArn())
                    .setSourceConfig(sourceConfig(in))
                    .setDeserializationSchema(schema)
                    .build();
            return env.fromSource(source, WatermarkStrategy.noWatermarks(), in.operatorName(), type)
                    .uid(in.uid()).name(in.operatorName());
        }
        FlinkKinesisConsumer<RawRecord> consumer =
                new FlinkKinesisConsumer<>(in.streamName(), schema, consumerProperties(in));
        // addSource is deprecated with SourceFunction; the legacy consumer is one, kept for EFO.
        @SuppressWarnings("deprecation")
        DataStream<RawRecord> stream = env.addSource(consumer, in.operatorName(), type)
                .uid(in.uid()).name(in.operatorName());
        return stream;
    }

    /** Configuration of the FLIP-27 {@link KinesisStreamsSource}. */
    static Configuration sourceConfig(KinesisSettings.StreamInput in) {
        Configuration c = new Configuration();
        c.setString(AWS_REGION, in.region());
        if (in.endpoint() != null) c.setString(AWS_ENDPOINT, in.endpoint());
        in.credentials().kinesisConnectorProperties().forEach(c::setString);
        c.set(KinesisStreamsSourceConfigConstants.STREAM_INITIAL_POSITION,
                KinesisStreamsSourceConfigConstants.InitialPosition.valueOf(in.initialPosition().name()));
        if (in.initialTimestamp() != null) {
            c.set(KinesisStreamsSourceConfigConstants.STREAM_INITIAL_TIMESTAMP, epochSeconds(in.initialTimestamp()));
        }
        if (in.shardDiscoveryInterval() != null) {
            c.set(KinesisStreamsSourceConfigConstants.SHARD_DISCOVERY_INTERVAL_MILLIS, in.shardDiscoveryInterval().toMillis());
        }
        return c;
    }

    /** Properties of the legacy {@link FlinkKinesisConsumer} (polling or EFO). */
    static Properties consumerProperties(KinesisSettings.StreamInput in) {
        Properties p = new Properties();
        p.setProperty(AWS_REGION, in.region());
        if (in.endpoint() != null) p.setProperty(AWS_ENDPOINT, in.endpoint());
        in.credentials().kinesisConnectorProperties().forEach(p::setProperty);
        p.setProperty(LEGACY_INITIAL_POSITION, in.initialPosition().name());
        if (in.initialTimestamp() != null) p.setProperty(LEGACY_INITIAL_TIMESTAMP, epochSeconds(in.initialTimestamp()));
        if (in.reader() == KinesisSettings.Reader.EFO) {
            p.setProperty(LEGACY_RECORD_PUBLISHER, "EFO");
            p.setProperty(LEGACY_EFO_CONSUMER_NAME, in.efoConsumerName());
        } else {
            p.setProperty(LEGACY_RECORD_PUBLISHER, "POLLING");
            if (in.pollInterval() != null) p.setProperty(LEGACY_POLL_INTERVAL, Long.toString(in.pollInterval().toMillis()));
            if (in.maxRecords() != null) p.setProperty(LEGACY_MAX_RECORDS, Integer.toString(in.maxRecords()));
        }
        if (in.shardDiscoveryInterval() != null) {
            p.setProperty(SHARD_DISCOVERY_INTERVAL, Long.toString(in.shardDiscoveryInterval().toMillis()));
        }
        return p;
    }

    /** Seconds since the epoch with milliseconds ("1762041600.250"): both connector APIs accept it. */
    static String epochSeconds(Instant t) {
        long ms = t.toEpochMilli();
        return Math.floorDiv(ms, 1000) + "." + String.format("%03d", Math.floorMod(ms, 1000));
    }
}
