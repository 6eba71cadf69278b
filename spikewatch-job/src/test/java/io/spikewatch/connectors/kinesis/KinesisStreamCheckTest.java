package io.spikewatch.connectors.kinesis;

import io.spikewatch.config.ConfigException;
import io.spikewatch.connectors.AwsCheckTarget;
import io.spikewatch.connectors.AwsStartupCheck;
import io.spikewatch.connectors.AwsStartupCheck.Failure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How a failed DescribeStreamSummary becomes a message naming the setting to fix. The exceptions are
 * built the way the SDK builds them from an answer, because the local server accepts any credentials
 * and so cannot produce the auth failures; the real-server cases are in {@code StartupChecksITCase}.
 */
class KinesisStreamCheckTest {
    private static final String ARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/waf-logs";
    private static final String ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";

    private static KinesisSettings.StreamInput waf(String... kv) {
        Map<String, String> m = new java.util.HashMap<>(Map.of("kinesis.waf.stream", ARN));
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return KinesisSettings.fromMap(m).waf();
    }

    private static final KinesisSettings.StreamInput ON_AWS = waf();
    private static final KinesisSettings.StreamInput LOCAL = waf("kinesis.waf.endpoint", "http://127.0.0.1:4568",
            "aws.credentials.profile", "local", "kinesis.waf.reader", "legacy-polling");

    private static KinesisException serviceError(String code, int status, String message) {
        return (KinesisException) KinesisException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
                .statusCode(status).message(message).build();
    }

    private static String explain(KinesisSettings.StreamInput in, Throwable error) {
        return AwsStartupCheck.explain(KinesisStreamCheck.target(in), error).getMessage();
    }

    @Test
    void aMissingStreamNamesTheStreamSettingWithRegionAndEndpoint() {
        ResourceNotFoundException missing = (ResourceNotFoundException) ResourceNotFoundException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException")
                        .errorMessage("Stream waf-logs under account 123456789012 not found.").build())
                .statusCode(400).build();

        assertThat(AwsStartupCheck.classify(missing)).isEqualTo(Failure.NOT_FOUND);
        assertThat(explain(ON_AWS, missing))
                .startsWith("kinesis.waf.stream: Kinesis stream '" + ARN + "' does not exist in region eu-west-1")
                .contains("endpoint https://kinesis.eu-west-1.amazonaws.com", "ResourceNotFoundException, HTTP 400")
                .contains("Check kinesis.waf.stream, kinesis.waf.region, or create the stream");
        assertThat(explain(LOCAL, missing))
                .contains("endpoint http://127.0.0.1:4568", "kinesis.waf.region and kinesis.waf.endpoint");
    }

    @ParameterizedTest(name = "{0} (HTTP {1})")
    @CsvSource({
            "UnrecognizedClientException, 400, The security token included in the request is invalid.",
            "InvalidSignatureException, 400, The request signature we calculated does not match the signature you provided.",
            "ExpiredTokenException, 400, The security token included in the request is expired",
            "AccessDeniedException, 400, User: arn:aws:sts::123456789012:assumed-role/flink is not authorized to perform: kinesis:DescribeStreamSummary",
            "AccessDenied, 403, Access Denied",
            "'', 403, Forbidden"})
    void rejectedCredentialsNameTheCredentialsSettingAndWhatWasTried(String code, int status, String awsMessage) {
        KinesisException rejected = serviceError(code.isEmpty() ? null : code, status, awsMessage + " " + ACCESS_KEY_ID);

        assertThat(AwsStartupCheck.classify(rejected)).isEqualTo(Failure.DENIED);
        String message = explain(ON_AWS, rejected);
        assertThat(message)
                .startsWith("aws.credentials.profile: Kinesis at https://kinesis.eu-west-1.amazonaws.com refused "
                        + "DescribeStreamSummary of stream '" + ARN + "'")
                .contains("HTTP " + status, AwsCheckTarget.DEFAULT_CHAIN, "kinesis:DescribeStreamSummary",
                        "job.startup-checks=false")
                .doesNotContain(ACCESS_KEY_ID);
        assertThat(explain(LOCAL, rejected)).contains("profile 'local' of the AWS config/credentials files");
    }

    @Test
    void aRefusedConnectionNamesTheEndpointSettingAndTheUrl() {
        SdkClientException refused = SdkClientException.builder()
                .message("Unable to execute HTTP request: Connect to 127.0.0.1:4568 failed: Connection refused")
                .cause(new ConnectException("Connection refused")).build();

        assertThat(AwsStartupCheck.classify(refused)).isEqualTo(Failure.UNREACHABLE);
        assertThat(explain(LOCAL, refused))
                .startsWith("kinesis.waf.endpoint: cannot reach Kinesis at http://127.0.0.1:4568 (ConnectException: Connection refused)")
                .contains("Is the server running, and is kinesis.waf.endpoint right?");
    }

    @Test
    void withoutAnEndpointOverrideAnUnknownHostOrTimeoutNamesTheRegionSetting() {
        SdkClientException unknownHost = SdkClientException.builder().message("Received an UnknownHostException")
                .cause(new UnknownHostException("kinesis.eu-west-1.amazonaws.com")).build();
        ApiCallTimeoutException timeout = ApiCallTimeoutException.create(15_000);

        assertThat(explain(ON_AWS, unknownHost))
                .startsWith("kinesis.waf.region: cannot reach Kinesis at https://kinesis.eu-west-1.amazonaws.com "
                        + "(UnknownHostException: kinesis.eu-west-1.amazonaws.com)")
                .contains("Is region 'eu-west-1' right");
        assertThat(AwsStartupCheck.classify(timeout)).isEqualTo(Failure.UNREACHABLE);
        assertThat(explain(ON_AWS, timeout)).startsWith("kinesis.waf.region: cannot reach Kinesis")
                .contains("no answer within " + AwsStartupCheck.CALL_TIMEOUT.toSeconds() + "s");
    }

    @Test
    void credentialsTheChainCannotFindNameTheCredentialsSettingAndTheChain() {
        SdkClientException none = SdkClientException.create("Unable to load credentials from any of the providers in the "
                + "chain AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider(), ...])");

        assertThat(AwsStartupCheck.classify(none)).isEqualTo(Failure.NO_CREDENTIALS);
        assertThat(explain(ON_AWS, none))
                .isEqualTo("aws.credentials.profile: no AWS credentials found for Kinesis; tried "
                        + AwsCheckTarget.DEFAULT_CHAIN + ".");
        // What the SDK's profile provider says when the named profile has no keys.
        SdkClientException noProfile = SdkClientException.create("Profile file contained no credentials for profile 'local'");
        assertThat(AwsStartupCheck.classify(noProfile)).isEqualTo(Failure.NO_CREDENTIALS);
        assertThat(explain(LOCAL, noProfile)).isEqualTo("aws.credentials.profile=local: no AWS credentials found for Kinesis; "
                + "tried profile 'local' of the AWS config/credentials files.");
    }

    @Test
    void otherServiceErrorsNameTheStreamAndSayWhatAwsAnswered() {
        KinesisException internal = serviceError("InternalFailure", 500, "We encountered an internal error.");

        assertThat(AwsStartupCheck.classify(internal)).isEqualTo(Failure.OTHER);
        assertThat(explain(ON_AWS, internal))
                .isEqualTo("kinesis.waf.stream: DescribeStreamSummary of Kinesis stream '" + ARN + "' in region eu-west-1 at "
                        + "https://kinesis.eu-west-1.amazonaws.com failed (InternalFailure, HTTP 500: We encountered an internal error.).");
    }

    @Test
    void onlyActiveAndUpdatingStreamsCanBeRead() {
        AwsCheckTarget target = KinesisStreamCheck.target(ON_AWS);
        KinesisStreamCheck.requireReadable(target, "ACTIVE");
        KinesisStreamCheck.requireReadable(target, "UPDATING");

        assertThatThrownBy(() -> KinesisStreamCheck.requireReadable(target, "CREATING"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("kinesis.waf.stream: Kinesis stream '" + ARN + "' is still being created (CREATING): "
                        + "start the job once it is ACTIVE.");
        assertThatThrownBy(() -> KinesisStreamCheck.requireReadable(target, "DELETING"))
                .hasMessageContaining("is being deleted (DELETING)");
    }

    @Test
    void aStreamGivenByNameIsNamedAsGivenAndTheAlbInputHasItsOwnKeys() {
        KinesisSettings.StreamInput alb = KinesisSettings.fromMap(Map.of("kinesis.alb.stream", "alb-logs",
                "kinesis.alb.region", "ap-southeast-2", "kinesis.alb.reader", "efo")).alb();

        AwsCheckTarget target = KinesisStreamCheck.target(alb);
        assertThat(target.name()).isEqualTo(new AwsCheckTarget.Setting("kinesis.alb.stream", "alb-logs"));
        assertThat(target.region()).isEqualTo(new AwsCheckTarget.Setting("kinesis.alb.region", "ap-southeast-2"));
        assertThat(target.endpoint().key()).isEqualTo("kinesis.alb.endpoint");
        assertThat(target.url()).isEqualTo("https://kinesis.ap-southeast-2.amazonaws.com");
    }
}
