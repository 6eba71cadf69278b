package io.spikewatch.packaging;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the job jar holds: our code and the libraries we bundle, but not Flink (the cluster provides
 * it), not logging back ends (the cluster configures its own), and Jackson relocated so it cannot
 * clash with a cluster's copy.
 */
class ShadedJarIT {
    private static final Path JOB_JAR = Path.of("spikewatch-job/target/spikewatch-job.jar");

    @Test
    void jobJarBundlesOnlyWhatTheClusterLacks() throws Exception {
        Path jar = JOB_JAR;
        assertThat(jar).exists();
        List<String> entries;
        try (JarFile j = new JarFile(jar.toFile())) {
            entries = j.stream().map(e -> e.getName()).collect(Collectors.toList());
            assertThat(j.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("io.spikewatch.StreamingJob");
        }
        assertThat(entries).contains("io/spikewatch/workflows/SpikewatchWorkflow.class",
                "io/spikewatch/parsing/WafLogParser.class", "com/maxmind/db/Reader.class");
        // OpenSearch sinks: the connector, the Sink V2 base the cluster does not ship, SigV4 and the templates.
        assertThat(entries).contains("io/spikewatch/connectors/opensearch/OpenSearchSinks.class",
                "org/apache/flink/connector/opensearch/sink/Opensearch2SinkBuilder.class",
                "org/apache/flink/connector/base/sink/writer/BufferedRequestState.class",
                "software/amazon/awssdk/http/auth/aws/signer/AwsV4HttpSigner.class",
                "opensearch/rates-template.json", "opensearch/alerts-template.json", "opensearch/deadletter-template.json");
        assertThat(entries).anyMatch(e -> e.startsWith("io/spikewatch/shaded/jackson/core/"));
        assertThat(entries).noneMatch(e -> e.startsWith("com/fasterxml/jackson/"));
        // Flink's streaming runtime is provided (the Kinesis connector's own classes live under
        // org/apache/flink/streaming/connectors/ and are bundled).
        assertThat(entries).noneMatch(e -> e.startsWith("org/apache/flink/streaming/api/"));
        assertThat(entries).noneMatch(e -> e.startsWith("org/apache/flink/streaming/runtime/"));
        // Connectors are bundled: both Kinesis source classes, connector-base, the start-up check's SDK client.
        assertThat(entries).contains("io/spikewatch/connectors/kinesis/KinesisInputs.class",
                "org/apache/flink/connector/kinesis/source/KinesisStreamsSource.class",
                "org/apache/flink/streaming/connectors/kinesis/FlinkKinesisConsumer.class",
                "org/apache/flink/connector/base/source/reader/SourceReaderBase.class",
                "software/amazon/awssdk/services/kinesis/KinesisClient.class");
        assertThat(entries).noneMatch(e -> e.startsWith("org/apache/flink/runtime/"));
        assertThat(entries).noneMatch(e -> e.startsWith("org/apache/logging/log4j/"));
        assertThat(entries).noneMatch(e -> e.startsWith("META-INF/org/apache/logging/log4j/"));
        assertThat(entries).noneMatch(e -> e.startsWith("org/slf4j/"));
        // The tools are not part of the job: no CLI, no SQS client, no Flink table planner.
        assertThat(entries).noneMatch(e -> e.startsWith("picocli/") || e.startsWith("io/spikewatch/cli/")
                || e.startsWith("io/spikewatch/generator/") || e.startsWith("io/spikewatch/bench/")
                || e.startsWith("io/spikewatch/loader/") || e.startsWith("software/amazon/awssdk/services/sqs/")
                || e.startsWith("org/apache/flink/table/"));
        assertThat(entries).noneMatch(e -> e.equals("log4j2.properties") || e.equals("log4j2-test.properties"));
    }

    @Test
    void jobJarBundlesTheSnsSinkWithItsAsyncClientOnly() throws Exception {
        try (JarFile j = new JarFile(JOB_JAR.toFile())) {
            List<String> entries = j.stream().map(e -> e.getName()).collect(Collectors.toList());
            assertThat(entries).contains("io/spikewatch/connectors/sns/SnsAlertSink.class",
                    "org/apache/flink/connector/base/sink/AsyncSinkBase.class",
                    "software/amazon/awssdk/services/sns/SnsAsyncClient.class",
                    "software/amazon/awssdk/http/nio/netty/NettyNioAsyncHttpClient.class");
            // apache5 is never used (the sink builds async clients; the start-up checks use apache-client)
            assertThat(entries).noneMatch(e -> e.startsWith("software/amazon/awssdk/http/apache5"));
            // the SDK finds its HTTP client through this service file; the shade plugin must keep it
            String service = new String(j.getInputStream(j.getEntry(
                    "META-INF/services/software.amazon.awssdk.http.async.SdkAsyncHttpService")).readAllBytes());
            assertThat(service).contains("software.amazon.awssdk.http.nio.netty.NettySdkAsyncHttpService");
        }
    }
}
