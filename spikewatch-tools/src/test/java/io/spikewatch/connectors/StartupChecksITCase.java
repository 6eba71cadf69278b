package io.spikewatch.connectors;

import io.spikewatch.config.ConfigException;
import io.spikewatch.LiveJobConfig;
import io.spikewatch.loader.KinesisLoader;
import io.spikewatch.connectors.kinesis.KinesisSettings;
import io.spikewatch.connectors.kinesis.KinesisStreamCheck;
import io.spikewatch.connectors.sns.SnsSettings;
import io.spikewatch.connectors.sns.SnsTopicCheck;
import io.spikewatch.testing.ClosedPort;
import io.spikewatch.testing.LocalKinesisServer;
import io.spikewatch.testing.LocalSnsServer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sns.SnsClient;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The start-up checks against the real local Kinesis (kinesis-local) and SNS (fauxqs) servers,
 * started by the deploy/local scripts unless they already run: what exists passes, and a missing
 * stream or topic, or a port nobody listens on, fails within seconds with a message naming the
 * setting. Credentials come from the AWS default chain, which finds the placeholder keys
 * {@link LocalKinesisServer} sets as system properties when none are set (the servers accept any
 * value), so the process environment is never changed.
 */
class StartupChecksITCase {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    /** Far below the job's own retry times; the checks promise seconds. */
    private static final Duration FAST = Duration.ofSeconds(10);

    private static LocalKinesisServer kinesis;
    private static LocalSnsServer sns;
    private static String streamArn;
    private static String topicArn;

    @BeforeAll
    static void startServersAndCreateStreamAndTopic() throws Exception {
        kinesis = LocalKinesisServer.startOrReuse();
        sns = LocalSnsServer.ensureRunning();
        try (KinesisClient client = KinesisLoader.client(kinesis.endpoint(), kinesis.region(), AwsAuth.DEFAULT_CHAIN)) {
            streamArn = KinesisLoader.createStream(client, "startup-" + RUN, 1, Duration.ofSeconds(60), d -> Thread.sleep(d.toMillis()));
        }
        try (SnsClient client = SnsClient.builder().endpointOverride(sns.endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build()) {
            topicArn = client.createTopic(b -> b.name("startup-" + RUN)).topicArn();
        }
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (kinesis != null) kinesis.close();
        if (sns != null) sns.close();
    }

    /** The settings of a local input or topic, as a profile would give them. */
    private static Map<String, String> local(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("kinesis.waf.endpoint", kinesis.endpoint());
        m.put("sns.endpoint", sns.endpoint.toString());
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    private static KinesisSettings.StreamInput waf(String... kv) {
        return KinesisSettings.fromMap(local(kv)).waf();
    }

    private static SnsSettings topic(String... kv) {
        return SnsSettings.fromProperties(local(kv));
    }

    private static void assertFailsFast(ThrowingCallable check, String messageStart, String advice) {
        long start = System.nanoTime();
        assertThatThrownBy(check).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(messageStart).hasMessageContaining(advice);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAST);
    }

    @Test
    void anExistingStreamPassesForEveryReader() {
        KinesisStreamCheck check = new KinesisStreamCheck();

        assertThat(check.check(waf("kinesis.waf.stream", streamArn)))
                .isEqualTo("kinesis.waf.stream " + streamArn + ": ACTIVE, 1 open shard(s), region us-east-1, endpoint "
                        + kinesis.endpoint());
        for (String reader : new String[] {"legacy-polling", "efo"}) {
            assertThat(check.check(waf("kinesis.waf.stream", "startup-" + RUN, "kinesis.waf.region", "us-east-1",
                    "kinesis.waf.reader", reader))).as(reader).contains("ACTIVE");
        }
    }

    @Test
    void aMissingStreamFailsNamingTheStreamSettingRegionAndEndpoint() {
        String missing = KinesisSettings.localStreamArn("us-east-1", "no-such-stream-" + RUN);

        assertThatThrownBy(() -> new KinesisStreamCheck().check(waf("kinesis.waf.stream", missing)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("kinesis.waf.stream: Kinesis stream '" + missing + "' does not exist in region us-east-1 "
                        + "(endpoint " + kinesis.endpoint() + "; ResourceNotFoundException, HTTP 400")
                .hasMessageEndingWith("Check kinesis.waf.stream, kinesis.waf.region and kinesis.waf.endpoint, or create the stream.");
    }

    @Test
    void aClosedPortFailsWithinSecondsNamingTheEndpointSetting() throws Exception {
        String closed = ClosedPort.url();

        assertFailsFast(() -> new KinesisStreamCheck().check(waf("kinesis.waf.stream", streamArn, "kinesis.waf.endpoint", closed)),
                "kinesis.waf.endpoint: cannot reach Kinesis at " + closed + " (ConnectException: Connection refused)",
                "is kinesis.waf.endpoint right?");
    }

    @Test
    void anExistingTopicPassesAndAMissingOneFailsNamingTheTopicSetting() {
        SnsTopicCheck check = new SnsTopicCheck();
        assertThat(check.check(topic("sns.topic-arn", topicArn))).startsWith("sns.topic-arn " + topicArn + ": found");

        String missing = "arn:aws:sns:us-east-1:000000000000:no-such-topic-" + RUN;
        assertThatThrownBy(() -> check.check(topic("sns.topic-arn", missing)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("sns.topic-arn: SNS topic '" + missing + "' does not exist in region us-east-1 "
                        + "(endpoint " + sns.endpoint + "; NotFound")
                .hasMessageEndingWith("Check sns.topic-arn, sns.region and sns.endpoint, or create the topic.");
    }

    @Test
    void aClosedSnsPortFailsWithinSecondsNamingTheEndpointSetting() throws Exception {
        String closed = ClosedPort.url();

        assertFailsFast(() -> new SnsTopicCheck().check(topic("sns.topic-arn", topicArn, "sns.endpoint", closed)),
                "sns.endpoint: cannot reach SNS at " + closed + " (ConnectException: Connection refused)",
                "is sns.endpoint right?");
    }

    @Test
    void theJobStartStopsAtTheFirstProblemBeforeContactingTheOutputs() throws Exception {
        // OpenSearch is never reached: the missing ALB stream stops the start first.
        Map<String, String> settings = local("geo.alb.enabled", "false",
                "kinesis.waf.stream", streamArn,
                "kinesis.alb.stream", KinesisSettings.localStreamArn("us-east-1", "no-such-alb-" + RUN),
                "kinesis.alb.endpoint", kinesis.endpoint(),
                "opensearch.hosts", ClosedPort.url(),
                "sns.topic-arn", topicArn);

        assertThatThrownBy(() -> new StartupChecks().run(LiveJobConfig.fromMap(settings)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("kinesis.alb.stream: Kinesis stream");
    }
}
