package io.spikewatch.connectors.kinesis;

import io.spikewatch.config.ConfigException;
import io.spikewatch.connectors.AwsCheckTarget;
import io.spikewatch.connectors.AwsCheckTarget.Setting;
import io.spikewatch.connectors.AwsStartupCheck;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;

import java.util.Set;

/**
 * Start-up check of one Kinesis input ({@code kinesis.waf.*} or {@code kinesis.alb.*}): calls
 * DescribeStreamSummary with the region, endpoint and credentials its source will use, so that a
 * wrong stream, region, endpoint or credential fails the start in seconds with a message naming the
 * setting, instead of a source retrying in a running job. Every reader needs it, EFO included (the
 * EFO consumer describes the stream before it registers).
 *
 * <p>Credentials as the source resolves them ({@code aws.credentials.*}, see
 * {@link io.spikewatch.connectors.AwsAuth}): the AWS default chain or a named profile. The check
 * runs where {@code main} runs; the sources run on the TaskManagers.
 */
public final class KinesisStreamCheck {
    /** Stream states the sources read from; UPDATING is a resharding or retention change. */
    private static final Set<String> READABLE = Set.of("ACTIVE", "UPDATING");

    public KinesisStreamCheck() {}

    /**
     * Describes the stream of {@code in}; returns one line saying what was found.
     *
     * @throws ConfigException naming the setting to fix when the stream cannot be used
     */
    public String check(KinesisSettings.StreamInput in) {
        AwsCheckTarget target = target(in);
        return AwsStartupCheck.call(KinesisClient.builder(), target, in.credentials().provider(), client -> {
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
                in.credentials().setting(), in.credentials().describe());
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
}
