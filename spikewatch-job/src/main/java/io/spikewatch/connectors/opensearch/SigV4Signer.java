package io.spikewatch.connectors.opensearch;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

import java.time.Clock;

/**
 * AWS Signature V4 for requests to Amazon OpenSearch Service ({@code es}) or OpenSearch Serverless
 * ({@code aoss}), done by the AWS SDK v2 signer — the same code the AWS SDKs use, so signing rules
 * (canonical query, double URL encoding, the {@code x-amz-content-sha256} header that Serverless
 * requires) are not re-implemented here. Credentials come from a provider and are resolved per
 * request, so rotated credentials (instance profile, IRSA, Managed Flink role) are picked up.
 *
 * <p>Used by the sinks' HTTP client ({@link AwsSigV4RequestInterceptor}) and by
 * {@link OpenSearchHttpClient}. Not serializable: built where requests are made.
 */
public final class SigV4Signer {
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final String region;
    private final String service;
    private final AwsCredentialsProvider credentials;
    private final Clock clock;

    public SigV4Signer(String region, String service, AwsCredentialsProvider credentials, Clock clock) {
        this.region = region;
        this.service = service;
        this.credentials = credentials;
        this.clock = clock;
    }

    /** Region and service from the settings; credentials as set by {@code aws.credentials.*}. */
    public static SigV4Signer fromSettings(OpenSearchSettings settings) {
        return new SigV4Signer(settings.sigV4Region(), settings.sigV4Service(),
                settings.awsCredentials().provider(), Clock.systemUTC());
    }

    /**
     * Returns {@code request} with the signature headers added ({@code Authorization},
     * {@code X-Amz-Date}, {@code x-amz-content-sha256}, {@code X-Amz-Security-Token} for session
     * credentials, and {@code Host} when it was absent).
     *
     * @param body the exact bytes that will be sent, or null for no body
     */
    public SdkHttpRequest sign(SdkHttpFullRequest request, byte[] body) {
        return signer.sign(r -> {
            r.identity(credentials.resolveCredentials())
                    .request(request)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(HttpSigner.SIGNING_CLOCK, clock);
            if (body != null) r.payload(ContentStreamProvider.fromByteArray(body));
        }).request();
    }

    public String region() {
        return region;
    }

    public String service() {
        return service;
    }
}
