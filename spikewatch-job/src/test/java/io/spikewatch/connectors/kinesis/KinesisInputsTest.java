package io.spikewatch.connectors.kinesis;

import io.spikewatch.config.ConfigException;
import io.spikewatch.records.RawRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigConstants;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.core.SdkBytes;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Record;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings to connector configuration, the graph the factory builds, and the record wrapper. */
class KinesisInputsTest {
    private static final String WAF_ARN = "arn:aws:kinesis:us-east-1:000000000000:stream/waf";

    private static KinesisSettings settings(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return KinesisSettings.fromMap(m);
    }

    @Test
    void flip27SourceConfigUsesThePlainConnectorKeys() {
        KinesisSettings.StreamInput in = settings("kinesis.waf.stream", WAF_ARN,
                "kinesis.waf.endpoint", "http://127.0.0.1:4568", "aws.credentials.profile", "local",
                "kinesis.waf.initial-position", "AT_TIMESTAMP", "kinesis.waf.initial-timestamp", "2026-11-02T10:00:00.250Z",
                "kinesis.waf.shard-discovery-interval", "30s").waf();

        Configuration c = KinesisInputs.sourceConfig(in);
        Map<String, String> flat = c.toMap();
        assertThat(flat).containsEntry("aws.region", "us-east-1")
                .containsEntry("aws.endpoint", "http://127.0.0.1:4568")
                .containsEntry("aws.credentials.provider", "PROFILE")
                .containsEntry("aws.credentials.provider.profile.name", "local");
        assertThat(c.get(KinesisStreamsSourceConfigConstants.STREAM_INITIAL_POSITION))
                .isEqualTo(KinesisStreamsSourceConfigConstants.InitialPosition.AT_TIMESTAMP);
        assertThat(c.get(KinesisStreamsSourceConfigConstants.STREAM_INITIAL_TIMESTAMP)).isEqualTo("1793613600.250");
        assertThat(c.get(KinesisStreamsSourceConfigConstants.SHARD_DISCOVERY_INTERVAL_MILLIS)).isEqualTo(30_000L);
    }

    @Test
    void legacyConsumerPropertiesForPollingAndEfo() {
        Properties polling = KinesisInputs.consumerProperties(settings("kinesis.alb.stream", "alb",
                "kinesis.alb.region", "eu-west-1", "kinesis.alb.reader", "legacy-polling",
                "kinesis.alb.initial-position", "TRIM_HORIZON", "kinesis.alb.polling.interval", "1s",
                "kinesis.alb.polling.max-records", "1000").alb());
        assertThat(polling).containsEntry("aws.region", "eu-west-1")
                .containsEntry("aws.credentials.provider", "AUTO")
                .doesNotContainKey("aws.credentials.provider.profile.name")
                .containsEntry("flink.stream.initpos", "TRIM_HORIZON")
                .containsEntry("flink.stream.recordpublisher", "POLLING")
                .containsEntry("flink.shard.getrecords.intervalmillis", "1000")
                .containsEntry("flink.shard.getrecords.maxrecordcount", "1000")
                .doesNotContainKey("aws.endpoint");

        Properties efo = KinesisInputs.consumerProperties(settings("kinesis.alb.stream", "alb",
                "kinesis.alb.region", "eu-west-1", "kinesis.alb.reader", "efo",
                "kinesis.alb.efo.consumer-name", "spikewatch-prod").alb());
        assertThat(efo).containsEntry("flink.stream.recordpublisher", "EFO")
                .containsEntry("flink.stream.efo.consumername", "spikewatch-prod")
                .containsEntry("flink.stream.initpos", "LATEST")
                .doesNotContainKey("flink.shard.getrecords.intervalmillis");
    }

    @Test
    void epochSecondsKeepMillisecondsAndHandleTheEpoch() {
        assertThat(KinesisInputs.epochSeconds(Instant.ofEpochMilli(1_005))).isEqualTo("1.005");
        assertThat(KinesisInputs.epochSeconds(Instant.EPOCH)).isEqualTo("0.000");
    }

    @Test
    void oneSourcePerStreamWithStableUidsUnioned() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        KinesisSettings s = settings("kinesis.waf.stream", WAF_ARN,
                "kinesis.alb.stream", "alb", "kinesis.alb.region", "us-east-1", "kinesis.alb.reader", "legacy-polling");

        DataStream<RawRecord> records = KinesisInputs.create(env, s);

        assertThat(records.getType()).isEqualTo(TypeInformation.of(RawRecord.class));
        List<String> uids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Transformation<?> t : records.getTransformation().getInputs()) {
            uids.add(t.getUid());
            names.add(t.getName());
        }
        assertThat(uids).containsExactly("source-kinesis-waf", "source-kinesis-alb-legacy");
        assertThat(names).containsExactly("Kinesis WAF waf (polling)", "Kinesis ALB alb (legacy-polling)");
    }

    @Test
    void noConfiguredStreamIsAnError() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        assertThatThrownBy(() -> KinesisInputs.create(env, settings()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("kinesis.waf.stream");
    }

    @Test
    void recordsAreWrappedUndecodedWithStreamNameAndArrivalTime() throws Exception {
        RawRecordDeserializer schema = InstantiationUtil.clone(new RawRecordDeserializer("waf"));
        byte[] gzip = {0x1f, (byte) 0x8b, 8, 0};
        List<RawRecord> out = new ArrayList<>();
        schema.deserialize(Record.builder().data(SdkBytes.fromByteArray(gzip)).partitionKey("k").sequenceNumber("1")
                        .approximateArrivalTimestamp(Instant.ofEpochMilli(1234)).build(),
                WAF_ARN, "shardId-000000000000", new org.apache.flink.util.Collector<>() {
                    @Override
                    public void collect(RawRecord r) {
                        out.add(r);
                    }

                    @Override
                    public void close() {}
                });
        assertThat(out).hasSize(1);
        assertThat(out.get(0).stream).isEqualTo("waf");
        assertThat(out.get(0).data).isEqualTo(gzip);
        assertThat(out.get(0).text).isNull();
        assertThat(out.get(0).arrivalTime).isEqualTo(1234);

        RawRecord legacy = schema.deserialize("x".getBytes(StandardCharsets.UTF_8), "k", "1", 5678, "waf", "shardId-1");
        assertThat(legacy.stream).isEqualTo("waf");
        assertThat(legacy.arrivalTime).isEqualTo(5678);

        long before = System.currentTimeMillis();
        assertThat(schema.deserialize(new byte[0], "k", "1", 0, "waf", "s").arrivalTime).isGreaterThanOrEqualTo(before);
        assertThat(schema.getProducedType()).isEqualTo(TypeInformation.of(RawRecord.class));
    }
}
