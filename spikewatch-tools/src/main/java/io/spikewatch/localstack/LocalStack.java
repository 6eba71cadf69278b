package io.spikewatch.localstack;

import io.spikewatch.loader.KinesisLoader;
import io.spikewatch.connectors.kinesis.KinesisSettings;
import io.spikewatch.connectors.AwsAuth;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The local stack of {@code deploy/local} as {@code live-demo} and the latency benchmark use it:
 * kinesis-local, OpenSearch and fauxqs (SNS + SQS) on 127.0.0.1, their endpoints (ports from the
 * same {@code SPIKEWATCH_*_PORT} variables the scripts read), starting them with
 * {@code deploy/local/stack.sh start}, and AWS SDK clients for them.
 *
 * <p>The local servers accept any credentials, but the SDKs refuse to send unsigned requests:
 * {@link #useDummyCredentialsIfNone()} sets placeholder keys as system properties (read by the
 * default chains of the SDK v2 and of the legacy Kinesis consumer's SDK v1) when none are set.
 *
 * @param kinesisEndpoint e.g. http://127.0.0.1:4568
 * @param openSearchUrl   e.g. http://127.0.0.1:9200
 * @param snsEndpoint     fauxqs, SNS and SQS on one port, e.g. http://127.0.0.1:4566
 */
public record LocalStack(String kinesisEndpoint, String openSearchUrl, URI snsEndpoint) {
    public static final String REGION = "us-east-1";
    /** The account kinesis-local and fauxqs put in their ARNs. */
    public static final String ACCOUNT = KinesisSettings.LOCAL_ACCOUNT;
    private static final Duration START_TIMEOUT = Duration.ofMinutes(15);

    /** Endpoints on 127.0.0.1 with the scripts' ports. */
    public static LocalStack fromEnvironment() {
        Map<String, String> env = System.getenv();
        return new LocalStack("http://127.0.0.1:" + env.getOrDefault("SPIKEWATCH_KINESIS_PORT", "4568"),
                "http://127.0.0.1:" + env.getOrDefault("SPIKEWATCH_OPENSEARCH_PORT", "9200"),
                URI.create("http://127.0.0.1:" + env.getOrDefault("SPIKEWATCH_SNS_PORT", "4566")));
    }

    /**
     * The project directory holding {@code deploy/local}: {@code -Dspikewatch.home} (set by the
     * {@code ./spikewatch} launcher), else the working directory.
     */
    public static Path projectDirectory() {
        String home = System.getProperty("spikewatch.home");
        return Path.of(home == null || home.isBlank() ? System.getProperty("user.dir") : home).toAbsolutePath();
    }

    /**
     * Runs {@code deploy/local/stack.sh start}: installs what is missing (npm packages, the OpenSearch
     * launcher; minutes on a first run), starts what is not running, creates the default streams and
     * topic and installs the index templates. Each output line goes to {@code output}.
     *
     * @throws IOException when the script is missing, fails or takes longer than 15 minutes
     */
    public static void start(Path projectDir, Consumer<String> output) throws IOException, InterruptedException {
        Path script = projectDir.resolve("deploy/local/stack.sh");
        if (!Files.isRegularFile(script)) {
            throw new IOException(script + " not found: run from the spikewatch directory (or through ./spikewatch)");
        }
        Process p = new ProcessBuilder(List.of("bash", script.toString(), "start"))
                .directory(projectDir.toFile()).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) output.accept(line);
            } catch (IOException ignored) {
                // the process ended; its exit code tells
            }
        }, "stack.sh-output");
        reader.setDaemon(true);
        reader.start();
        if (!p.waitFor(START_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("deploy/local/stack.sh start did not finish within " + START_TIMEOUT.toMinutes() + " minutes");
        }
        reader.join(5_000);
        if (p.exitValue() != 0) {
            throw new IOException("deploy/local/stack.sh start failed (exit " + p.exitValue() + "); see its output above");
        }
    }

    /**
     * Sets placeholder AWS keys as system properties unless keys are already in the environment or
     * the system properties. Only for the local servers, which accept any signature.
     */
    public static void useDummyCredentialsIfNone() {
        if (System.getenv("AWS_ACCESS_KEY_ID") != null || System.getProperty("aws.accessKeyId") != null) return;
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        // The legacy Kinesis consumer's SDK v1 reads this name.
        System.setProperty("aws.secretKey", "local");
    }

    /** The ARN kinesis-local gives a stream of this name. */
    public static String streamArn(String name) {
        return "arn:aws:kinesis:" + REGION + ":" + ACCOUNT + ":stream/" + name;
    }

    public KinesisClient kinesis() {
        return KinesisLoader.client(kinesisEndpoint, REGION, AwsAuth.DEFAULT_CHAIN);
    }

    public SnsClient sns() {
        return SnsClient.builder().endpointOverride(snsEndpoint).region(Region.of(REGION))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(ApacheHttpClient.builder()).build();
    }

    public SqsClient sqs() {
        return SqsClient.builder().endpointOverride(snsEndpoint).region(Region.of(REGION))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(ApacheHttpClient.builder()).build();
    }

    /** Creates a one-shard stream (or finds it), waits until it is active and returns its ARN. */
    public String createStream(String name) throws IOException, InterruptedException {
        try (KinesisClient client = kinesis()) {
            return KinesisLoader.createStream(client, name, 1, Duration.ofSeconds(60), d -> Thread.sleep(d.toMillis()));
        }
    }

    /** Deletes a stream; a stream that is already gone is fine. */
    public void deleteStream(String name) {
        try (KinesisClient client = kinesis()) {
            client.deleteStream(b -> b.streamName(name).enforceConsumerDeletion(true));
        } catch (ResourceNotFoundException gone) {
            // nothing to delete
        }
    }
}
