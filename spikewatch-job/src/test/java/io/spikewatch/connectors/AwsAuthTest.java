package io.spikewatch.connectors;

import io.spikewatch.config.ConfigException;
import io.spikewatch.connectors.kinesis.KinesisSettings;
import io.spikewatch.connectors.opensearch.OpenSearchSettings;
import io.spikewatch.connectors.opensearch.SigV4Signer;
import io.spikewatch.connectors.sns.SnsSettings;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One credentials convention for every AWS client: the SDK provider and the Kinesis connector's properties. */
class AwsAuthTest {
    private static final String KEY_ID = "AKIDSPIKEWATCHTEST";
    private static final String SECRET = "spikewatch/test+secret";

    @Test
    void noProfileIsTheDefaultChainAndTheConnectorsAuto() {
        AwsAuth auth = AwsAuth.fromValues(io.spikewatch.config.ConfigValues.defaults());

        assertThat(auth).isEqualTo(AwsAuth.DEFAULT_CHAIN);
        assertThat(auth.provider()).isInstanceOf(DefaultCredentialsProvider.class);
        assertThat(auth.kinesisConnectorProperties()).containsExactly(Map.entry("aws.credentials.provider", "AUTO"));
        assertThat(auth.describe()).contains("AWS_ACCESS_KEY_ID", "AWS_PROFILE", "instance role");
        assertThat(new AwsAuth("  ")).isEqualTo(AwsAuth.DEFAULT_CHAIN);
    }

    @Test
    void aProfileIsTheProfileProviderAndTheConnectorsProfileProvider() {
        AwsAuth auth = new AwsAuth("siem-prod");

        assertThat(auth.provider()).isInstanceOf(ProfileCredentialsProvider.class);
        assertThat(auth.kinesisConnectorProperties()).containsExactly(Map.entry("aws.credentials.provider", "PROFILE"),
                Map.entry("aws.credentials.provider.profile.name", "siem-prod"));
        assertThat(auth.setting()).isEqualTo(new AwsCheckTarget.Setting("aws.credentials.profile", "siem-prod"));
        assertThatThrownBy(() -> new AwsAuth("two words")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("aws.credentials.profile: 'two words'");
    }

    @Test
    void theProfileProviderReadsTheNamedProfileAndNothingEchoesTheKeys(@TempDir Path dir) throws Exception {
        Path credentials = dir.resolve("credentials");
        Files.writeString(credentials, "[default]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = other\n\n"
                + "[spikewatch-test]\naws_access_key_id = " + KEY_ID + "\naws_secret_access_key = " + SECRET + "\n");
        Path config = dir.resolve("config");
        Files.writeString(config, "");
        String oldCredentials = System.getProperty("aws.sharedCredentialsFile");
        String oldConfig = System.getProperty("aws.configFile");
        System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        System.setProperty("aws.configFile", config.toString());
        try {
            AwsAuth auth = new AwsAuth("spikewatch-test");
            AwsCredentialsProvider provider = auth.provider();
            AwsCredentials c = provider.resolveCredentials();
            assertThat(c.accessKeyId()).isEqualTo(KEY_ID);
            assertThat(c.secretAccessKey()).isEqualTo(SECRET);
            assertThat(auth.describe() + auth + auth.kinesisConnectorProperties()).doesNotContain(KEY_ID, SECRET);

            // OpenSearch SigV4 signs with the same profile.
            OpenSearchSettings sigv4 = OpenSearchSettings.fromMap(Map.of("aws.credentials.profile", "spikewatch-test",
                    "opensearch.hosts", "https://search-x.eu-west-1.es.amazonaws.com", "opensearch.sigv4.enabled", "true",
                    "opensearch.sigv4.region", "eu-west-1"));
            SdkHttpRequest signed = SigV4Signer.fromSettings(sigv4).sign(SdkHttpFullRequest.builder().method(SdkHttpMethod.GET)
                    .uri(URI.create("https://search-x.eu-west-1.es.amazonaws.com/_cluster/health")).build(), null);
            assertThat(signed.firstMatchingHeader("Authorization")).get().asString()
                    .contains("Credential=" + KEY_ID + "/").contains("/eu-west-1/es/aws4_request").doesNotContain(SECRET);
            assertThat(sigv4.describe()).doesNotContain(KEY_ID, SECRET);
        } finally {
            restore("aws.sharedCredentialsFile", oldCredentials);
            restore("aws.configFile", oldConfig);
        }
    }

    @Test
    void everyAwsClientGetsTheSameSettingFromOneProfile() throws Exception {
        Map<String, String> m = Map.of("aws.credentials.profile", "siem",
                "kinesis.waf.stream", "arn:aws:kinesis:eu-west-1:123456789012:stream/waf",
                "opensearch.hosts", "https://search-x.eu-west-1.es.amazonaws.com", "opensearch.sigv4.enabled", "true",
                "opensearch.sigv4.region", "eu-west-1", "sns.topic-arn", "arn:aws:sns:eu-west-1:123456789012:alerts");
        AwsAuth expected = new AwsAuth("siem");

        KinesisSettings kinesis = KinesisSettings.fromMap(m);
        assertThat(kinesis.waf().credentials()).isEqualTo(expected);
        assertThat(OpenSearchSettings.fromMap(m).awsCredentials()).isEqualTo(expected);
        assertThat(OpenSearchSettings.fromMap(m).describe()).contains("credentials from profile siem");
        assertThat(SnsSettings.fromProperties(m).credentials()).isEqualTo(expected);
        assertThat(InstantiationUtil.clone(kinesis)).isEqualTo(kinesis);
    }

    private static void restore(String property, String value) {
        if (value == null) System.clearProperty(property);
        else System.setProperty(property, value);
    }
}
