package io.spikewatch.connectors.sns;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsAsyncClient;
import software.amazon.awssdk.services.sns.SnsAsyncClientBuilder;

/**
 * The real {@link SnsClientProvider}: an AWS SDK v2 {@link SnsAsyncClient} (Netty, non-blocking)
 * for the configured region and endpoint, with the credentials of {@code aws.credentials.*}
 * ({@link io.spikewatch.connectors.AwsAuth}).
 *
 * <p>The SDK's standard retry strategy (exponential back-off with jitter, retry on throttling, 5xx and
 * I/O errors) handles short hiccups inside one request, {@code sns.retry.sdk-max-attempts} times;
 * what still fails goes back to the sink writer, which backs off and re-sends, or fails the job on
 * errors that no retry can fix.
 */
public final class AwsSnsClientProvider implements SnsClientProvider {
    @Override
    public SnsAsyncClient createClient(SnsSettings settings) {
        SnsAsyncClientBuilder builder = SnsAsyncClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(settings.credentials().provider())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(settings.sdkMaxAttempts())
                                .build())
                        .apiCallTimeout(settings.requestTimeout())
                        .build());
        if (settings.endpoint() != null) builder.endpointOverride(settings.endpoint());
        return builder.build();
    }
}
