package io.spikewatch.connectors.sns;

import io.spikewatch.config.ConfigException;
import io.spikewatch.connectors.AwsAuth;
import io.spikewatch.connectors.AwsCheckTarget;
import io.spikewatch.connectors.AwsStartupCheck;
import io.spikewatch.connectors.AwsStartupCheck.Failure;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sns.model.AuthorizationErrorException;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.SnsException;

import java.net.ConnectException;
import java.net.URI;

import static io.spikewatch.connectors.sns.SnsTestAlerts.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How a failed GetTopicAttributes becomes a message naming the {@code sns.*} setting to fix. */
class SnsTopicCheckTest {
    private static final SnsSettings ON_AWS = SnsSettings.forTopic(TOPIC);
    private static final SnsSettings LOCAL = ON_AWS.withEndpoint(URI.create("http://127.0.0.1:4566"), new AwsAuth("local"));

    private static String explain(SnsSettings settings, Throwable error) {
        return AwsStartupCheck.explain(SnsTopicCheck.target(settings), error).getMessage();
    }

    private static AwsErrorDetails details(String code, String message) {
        return AwsErrorDetails.builder().errorCode(code).errorMessage(message).build();
    }

    @Test
    void aMissingTopicNamesTheTopicSetting() {
        Throwable missing = NotFoundException.builder().awsErrorDetails(details("NotFound", "Topic does not exist"))
                .statusCode(404).build();

        assertThat(AwsStartupCheck.classify(missing)).isEqualTo(Failure.NOT_FOUND);
        assertThat(explain(LOCAL, missing))
                .startsWith("sns.topic-arn: SNS topic '" + TOPIC + "' does not exist in region " + ON_AWS.region()
                        + " (endpoint http://127.0.0.1:4566; NotFound, HTTP 404: Topic does not exist)")
                .contains("Check sns.topic-arn, sns.region and sns.endpoint, or create the topic.");
    }

    @Test
    void deniedAuthorizationAndInvalidTokensNameTheCredentialsSetting() {
        Throwable denied = AuthorizationErrorException.builder()
                .awsErrorDetails(details("AuthorizationError", "User is not authorized to perform: SNS:GetTopicAttributes"))
                .statusCode(403).build();
        Throwable invalidToken = SnsException.builder()
                .awsErrorDetails(details("InvalidClientTokenId", "The security token included in the request is invalid."))
                .statusCode(403).build();

        for (Throwable rejected : new Throwable[] {denied, invalidToken}) {
            assertThat(AwsStartupCheck.classify(rejected)).isEqualTo(Failure.DENIED);
            assertThat(explain(ON_AWS, rejected))
                    .startsWith("aws.credentials.profile: SNS at https://sns." + ON_AWS.region() + ".amazonaws.com refused GetTopicAttributes")
                    .contains(AwsCheckTarget.DEFAULT_CHAIN, "sns:GetTopicAttributes", "job.startup-checks=false");
        }
        assertThat(explain(LOCAL, denied))
                .startsWith("aws.credentials.profile: SNS at http://127.0.0.1:4566 refused")
                .contains("profile 'local' of the AWS config/credentials files");
    }

    @Test
    void anUnreachableServerNamesTheEndpointOrTheRegionSetting() {
        SdkClientException refused = SdkClientException.builder().message("Unable to execute HTTP request")
                .cause(new ConnectException("Connection refused")).build();

        assertThat(explain(LOCAL, refused))
                .startsWith("sns.endpoint: cannot reach SNS at http://127.0.0.1:4566 (ConnectException: Connection refused)");
        assertThat(explain(ON_AWS, refused)).startsWith("sns.region: cannot reach SNS at https://sns.");
    }

    @Test
    void noCredentialsNameTheCredentialsSettingAndWhereTheyWereLookedFor() {
        SdkClientException none = SdkClientException.create("Unable to load credentials from any of the providers in the chain");

        assertThat(AwsStartupCheck.classify(none)).isEqualTo(Failure.NO_CREDENTIALS);
        assertThat(explain(ON_AWS, none)).startsWith("aws.credentials.profile: no AWS credentials found for SNS; tried "
                + AwsCheckTarget.DEFAULT_CHAIN);
        assertThat(explain(LOCAL, none)).startsWith("aws.credentials.profile=local: no AWS credentials found for SNS; tried profile 'local'");
    }
}
