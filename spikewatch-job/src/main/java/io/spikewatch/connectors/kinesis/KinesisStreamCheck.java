package io.spikewatch.connectors.kinesis;

import io.spikewatch.config.ConfigException;
import io.spikewatch.connectors.AwsCheckTarget;
import io.spikewatch.connectors.AwsCheckTarget.Setting;
import io.spikewatch.connectors.AwsStartupCheck;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Start-up check of one Kinesis input ({@code kinesis.waf.*} or {@code kinesis.alb.*}): calls
 * DescribeStreamSummary with the region, endpoint and credentials its source will use, so that a
 * wrong stream, region, endpoint or credential fails the start in seconds with a message naming the
 * setting, instead of a source retrying in a running job. Every reader needs it, EFO included (the
 * EFO consumer describes the stream before it registers).
 *
 * <p>Credentials as the source resolves them: {@code default} is the AWS default chain;
 * {@code env} reads {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} (and
 * {@code AWS_SESSION_TOKEN}) from the environment given here, normally the process environment.
 * The check runs where {@code main} runs; the sources run on the TaskManagers.
 */
public final class KinesisStreamCheck {
    static final String ACCESS_KEY_ENV = "AWS_ACCESS_KEY_ID";
    static final String SECRET_KEY_ENV = "AWS_SECRET_ACCESS_KEY";
    static final String SESSION_TOKEN_ENV = "AWS_SESSION_TOKEN";
    /** Stream states the sources read from; UPDATING is a resharding or retention change. */
    private static final Set<String> READABLE = Set.of("ACTIVE", "UPDATING");

    private final Map<String, String> environment;

    /** @param environment where {@code credentials=env} looks for the keys (normally {@code System.getenv()}) */
    public KinesisStreamCheck(Map<String, String> environment) {
        this.environment = environment;
    }

    /**
     * Describes the stream of {@code in}; returns one line saying what was found.
     *
     * @throws ConfigException naming the setting to fix when the stream cannot be used
     */
    public String check(KinesisSettings.StreamInput in) {
        AwsCheckTarget target = target(in);
        return AwsStartupCheck.call(KinesisClient.builder(), target, credentials(in), client -> {
            DescribeStreamSummaryRequest.Builder request = DescribeStreamSummaryRequest.builder();
            // The same identifier the source uses: the ARN when one was given, else the name.
            if (in.streamArn() != null) request.streamARN(in.streamArn());
            else request.streamName(in.streamName());
            StreamDescriptionSummary s = client.describeStreamSummary(request.build()).streamDescriptionSummary();
            requireReadable(target, s.streamStatusAsString());
            return target.name().key() + " " + target.name().value() + ": " + s.streamStatusAsString() + ", "
                    + s.openShardCount() + " open shard(s), region " + in.region() + ", endpoint " + target.url();
        });
    }

    /** The stream, region, endpoint and credentials settings of {@code in}, for messages. */
    public static AwsCheckTarget target(KinesisSettings.StreamInput in) {
        String p = KinesisSettings.PREFIX + in.source().label() + ".";
        return new AwsCheckTarget("Kinesis", "DescribeStreamSummary", "stream",
                new Setting(p + "stream", in.streamArn() != null ? in.streamArn() : in.streamName()),
                new Setting(p + "region", in.region()),
                new Setting(p + "endpoint", in.endpoint()),
                new Setting(p + "credentials", in.credentials().label()),
                in.credentials() == KinesisSettings.Credentials.ENV
                        ? "the environment variables " + ACCESS_KEY_ENV + "/" + SECRET_KEY_ENV
                        : AwsCheckTarget.DEFAULT_CHAIN);
    }

    /** Fails unless the sources can read a stream in {@code status}. */
    static void requireReadable(AwsCheckTarget target, String status) {
        if (READABLE.contains(status)) return;
        String why = switch (status == null ? "" : status) {
            case "CREATING" -> "is still being created (CREATING): start the job once it is ACTIVE";
            case "DELETING" -> "is being deleted (DELETING): point " + target.name().key() + " at a live stream";
            default -> "is in state " + status + ", not ACTIVE or UPDATING";
        };
        throw new ConfigException(target.name().key() + ": Kinesis stream '" + target.name().value() + "' " + why + ".");
    }

    private AwsCredentialsProvider credentials(KinesisSettings.StreamInput in) {
        if (in.credentials() == KinesisSettings.Credentials.DEFAULT) return DefaultCredentialsProvider.builder().build();
        String accessKey = environment.get(ACCESS_KEY_ENV);
        String secretKey = environment.get(SECRET_KEY_ENV);
        List<String> missing = new ArrayList<>();
        if (accessKey == null || accessKey.isBlank()) missing.add(ACCESS_KEY_ENV);
        if (secretKey == null || secretKey.isBlank()) missing.add(SECRET_KEY_ENV);
        if (!missing.isEmpty()) {
            throw new ConfigException(target(in).credentials().key() + "=env: " + String.join(" and ", missing)
                    + (missing.size() == 1 ? " is" : " are") + " not set in the environment; the source reads the keys "
                    + "from there wherever it runs (here and on every TaskManager). Any value works for a local server: export "
                    + ACCESS_KEY_ENV + "=local " + SECRET_KEY_ENV + "=local");
        }
        String token = environment.get(SESSION_TOKEN_ENV);
        return StaticCredentialsProvider.create(token == null || token.isBlank()
                ? AwsBasicCredentials.create(accessKey, secretKey)
                : AwsSessionCredentials.create(accessKey, secretKey, token));
    }
}
