package io.spikewatch.connectors.sns;

import io.spikewatch.config.ConfigException;
import io.spikewatch.connectors.AwsCheckTarget;
import io.spikewatch.connectors.AwsCheckTarget.Setting;
import io.spikewatch.connectors.AwsStartupCheck;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Start-up check of the SNS topic ({@code sns.*}, when {@code sns.topic-arn} is set): calls
 * GetTopicAttributes with the region, endpoint and credentials the sink will use, so that a wrong
 * topic, endpoint or credential fails the start in seconds with a message naming the setting,
 * instead of failing the running job at its first alert.
 */
public final class SnsTopicCheck {
    public SnsTopicCheck() {}

    /**
     * Reads the topic's attributes; returns one line saying what was found.
     *
     * @throws ConfigException naming the setting to fix when the topic cannot be used
     */
    public String check(SnsSettings settings) {
        AwsCheckTarget target = target(settings);
        return AwsStartupCheck.call(SnsClient.builder(), target, settings.credentials().provider(), client -> {
            client.getTopicAttributes(b -> b.topicArn(settings.topicArn()));
            return SnsSettings.TOPIC_ARN + " " + settings.topicArn() + ": found, region " + settings.region()
                    + ", endpoint " + target.url();
        });
    }

    /** The topic, region, endpoint and credentials settings, for messages. */
    public static AwsCheckTarget target(SnsSettings settings) {
        return new AwsCheckTarget("SNS", "GetTopicAttributes", "topic",
                new Setting(SnsSettings.TOPIC_ARN, settings.topicArn()),
                new Setting(SnsSettings.REGION, settings.region()),
                new Setting(SnsSettings.ENDPOINT, settings.endpoint() == null ? null : settings.endpoint().toString()),
                settings.credentials().setting(), settings.credentials().describe());
    }
}
