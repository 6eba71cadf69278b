package io.spikewatch.connectors.sns;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.awssdk.services.sns.SnsAsyncClientBuilder;

import java.util.Map;

/**
 * The real {@link SnsClientProvider}: an AWS SDK v2 {@link SnsAsyncClient} (Netty, non-blocking)
 * for the configured region and endpoint.
 *
 * <p>The SDK's standard retry strategy (exponential back-off with jitter, retry on throttling, 5xx and
 * I/O errors) handles short hiccups inside one request, {@code sns.retry.sdk-max-attempts} times;
 * what still fails goes back to the sink writer, which backs off and re-sends, or fails the job on
 * errors that no retry can fix.
 */
public final class AwsSnsClientProvider implements SnsClientProvider {
    /** Environment variables read for {@code sns.credentials=static-env} (local endpoints only). */
    public static final String ACCESS_KEY_ENV = "SPIKEWATCH_SNS_ACCESS_KEY_ID";
    public static final String SECRET_KEY_ENV = "SPIKEWATCH_SNS_SECRET_ACCESS_KEY";
    public static final String SESSION_TOKEN_ENV = "SPIKEWATCH_SNS_SESSION_TOKEN";

    @Override
    public SnsAsyncClient createClient(SnsSettings settings) {
        SnsAsyncClientBuilder builder = SnsAsyncClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings, System.getenv()))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(settings.sdkMaxAttempts())
                                .build())
                        .apiCallTimeout(settings.requestTimeout())
                        .build());
        if (settings.endpoint() != null) builder.endpointOverride(settings.endpoint());
        return builder.build();
    }

    /**
     * The credentials provider for the settings' mode; for {@code static-env} the keys come from
     * {@code env}. Error messages name the variables, never their values.
     */
    static AwsCredentialsProvider credentials(SnsSettings settings, Map<String, String> env) {
        if (settings.credentials() == SnsSettings.Credentials.DEFAULT) {
            return DefaultCredentialsProvider.builder().build();
        }
        String accessKey = env.get(ACCESS_KEY_ENV);
        String secretKey = env.get(SECRET_KEY_ENV);
        if (accessKey == null || accessKey.isBlank() || secretKey == null || secretKey.isBlank()) {
            throw new IllegalStateException(SnsSettings.CREDENTIALS + "=static-env needs the environment variables "
                    + ACCESS_KEY_ENV + " and " + SECRET_KEY_ENV + " on every task manager");
        }
        String token = env.get(SESSION_TOKEN_ENV);
        AwsCredentials credentials = token == null || token.isBlank()
                ? AwsBasicCredentials.create(accessKey, secretKey)
                : AwsSessionCredentials.create(accessKey, secretKey, token);
        return StaticCredentialsProvider.create(credentials);
    }
}
