package io.spikewatch.connectors;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.ServiceMetadata;

import java.util.Locale;

/**
 * An AWS resource the live job checks before it starts (a Kinesis stream, the SNS topic), with the
 * settings that locate it, so that {@link AwsStartupCheck} can word a failure around the setting a
 * user has to change. Holds no secret: credentials are described by where they come from.
 *
 * @param service          service name for messages, also its endpoint prefix in lower case ("Kinesis", "SNS")
 * @param operation        the API call the check makes, e.g. DescribeStreamSummary
 * @param resource         what the call looks at, e.g. "stream"
 * @param name             the setting naming the resource and its value (a name or an ARN)
 * @param region           the region setting and the region in force (from the ARN when the setting is empty)
 * @param endpoint         the endpoint-override setting; its value is null when the AWS endpoint is used
 * @param credentials      the credentials setting ({@code aws.credentials.profile}) and its value (null: the default chain)
 * @param credentialsTried where those credentials are looked for, in words (no values)
 */
public record AwsCheckTarget(String service, String operation, String resource, Setting name, Setting region,
                             Setting endpoint, Setting credentials, String credentialsTried) {

    /** Where the AWS default chain looks, in its order (what an empty {@code aws.credentials.profile} tries). */
    public static final String DEFAULT_CHAIN = AwsAuth.DEFAULT_CHAIN_TEXT;

    /** A setting's key and its value in force (null when unset). */
    public record Setting(String key, String value) {}

    /** The IAM action of {@link #operation}, e.g. kinesis:DescribeStreamSummary. */
    public String permission() {
        return service.toLowerCase(Locale.ROOT) + ":" + operation;
    }

    /** The URL the check calls: the endpoint override, or the service's AWS endpoint in the region. */
    public String url() {
        if (endpoint.value() != null) return endpoint.value();
        return "https://" + ServiceMetadata.of(service.toLowerCase(Locale.ROOT)).endpointFor(Region.of(region.value()));
    }
}
