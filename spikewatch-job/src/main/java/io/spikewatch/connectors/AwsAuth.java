package io.spikewatch.connectors;

import io.spikewatch.config.ConfigException;
import io.spikewatch.config.ConfigValues;
import io.spikewatch.config.Settings;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where every AWS client of the job (the Kinesis sources and their start-up check, the SNS sink and
 * its topic check, OpenSearch SigV4 signing, {@code ./spikewatch put}) gets its credentials: the
 * AWS SDK's default chain, or a named profile ({@code aws.credentials.profile}). One convention for
 * all: a user exports the standard {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} (and
 * {@code AWS_SESSION_TOKEN}), sets {@code AWS_PROFILE}, or runs with an instance, container or web
 * identity role.
 *
 * <p>Holds no secret, only where to look; the keys are resolved by the SDK where the client is
 * built (on the TaskManagers for the sinks and sources), so they are never in the job graph, a
 * savepoint, a log line or a message.
 *
 * @param profile a profile name of the AWS config/credentials files, or null for the default chain
 */
public record AwsAuth(String profile) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The AWS default credentials chain. */
    public static final AwsAuth DEFAULT_CHAIN = new AwsAuth(null);

    /** Where the AWS default chain looks, in its order. */
    public static final String DEFAULT_CHAIN_TEXT = "the AWS default credentials chain (Java system properties "
            + "aws.accessKeyId/aws.secretAccessKey, environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, "
            + "web identity token, profile file (AWS_PROFILE), container credentials, EC2 instance role)";

    // The Flink Kinesis connector's credential properties (relocated AWS base classes: keys as strings).
    static final String CONNECTOR_PROVIDER = "aws.credentials.provider";
    static final String CONNECTOR_PROFILE_NAME = "aws.credentials.provider.profile.name";

    public AwsAuth {
        if (profile != null && profile.isBlank()) profile = null;
        if (profile != null) {
            profile = profile.trim();
            if (!profile.matches("[A-Za-z0-9_.+=,@-]{1,128}")) {
                throw new ConfigException(Settings.AWS_CREDENTIALS_PROFILE.key() + ": '" + profile
                        + "' is not a profile name (letters, digits and _ . + = , @ -)");
            }
        }
    }

    /** The {@code aws.credentials.*} settings. */
    public static AwsAuth fromValues(ConfigValues values) {
        return new AwsAuth(values.get(Settings.AWS_CREDENTIALS_PROFILE));
    }

    /** A new SDK provider for these settings (close it with the client when it is closeable). */
    public AwsCredentialsProvider provider() {
        if (profile != null) return ProfileCredentialsProvider.builder().profileName(profile).build();
        return DefaultCredentialsProvider.builder().build();
    }

    /**
     * The Flink Kinesis connector's credential properties for these settings: {@code AUTO} (the
     * connector's default chain) or {@code PROFILE} with the profile's name.
     */
    public Map<String, String> kinesisConnectorProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        if (profile == null) {
            p.put(CONNECTOR_PROVIDER, "AUTO");
        } else {
            p.put(CONNECTOR_PROVIDER, "PROFILE");
            p.put(CONNECTOR_PROFILE_NAME, profile);
        }
        return p;
    }

    /** The setting that chooses the credentials and its value in force (null: the default chain), for messages. */
    public AwsCheckTarget.Setting setting() {
        return new AwsCheckTarget.Setting(Settings.AWS_CREDENTIALS_PROFILE.key(), profile);
    }

    /** Where credentials are looked for, in words (no values). */
    public String describe() {
        return profile == null ? DEFAULT_CHAIN_TEXT : "profile '" + profile + "' of the AWS config/credentials files";
    }
}
