package io.spikewatch.connectors.sns;

import io.spikewatch.connectors.AwsErrorText;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import static io.spikewatch.connectors.AwsErrorText.clean;

/**
 * Decides which SNS failures are worth retrying and words the ones that are not.
 *
 * <p>Retried: throttling, 5xx/internal errors, timeouts and I/O errors (the service or the network
 * will recover). Fatal: every other 4xx (missing topic, wrong region, authorization, invalid
 * credentials, KMS misconfiguration, malformed request) and client-side misconfiguration such as
 * credentials that cannot be loaded: retrying would stall the job's checkpoints forever instead of
 * telling the operator what to fix.
 */
final class SnsFailures {
    private static final Set<String> RETRYABLE_CODES = Set.of(
            "Throttled", "Throttling", "ThrottlingException", "ThrottledException", "TooManyRequestsException",
            "KMSThrottling", "KMSThrottlingException", "InternalError", "InternalFailure", "InternalErrorException",
            "ServiceUnavailable", "ServiceUnavailableException", "RequestTimeout", "RequestTimeoutException");

    private SnsFailures() {}

    static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /** Whether a whole PublishBatch request that failed with {@code error} should be sent again. */
    static boolean isRetryable(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof AwsServiceException service) {
            if (service.isThrottlingException()) return true;
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            if (code != null && RETRYABLE_CODES.contains(code)) return true;
            int status = service.statusCode();
            return status >= 500 || status == 429 || status == 408;
        }
        if (e instanceof SdkClientException client) {
            return !isClientMisconfiguration(client);
        }
        return false;
    }

    /** Whether one entry that SNS refused inside a successful PublishBatch should be sent again. */
    static boolean isRetryable(BatchResultErrorEntry failure) {
        if (failure.code() != null && RETRYABLE_CODES.contains(failure.code())) return true;
        return !Boolean.TRUE.equals(failure.senderFault());
    }

    private static boolean isClientMisconfiguration(SdkClientException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        // "contained no credentials": aws.credentials.profile names a profile without keys.
        return m.contains("unable to load credentials") || m.contains("contained no credentials")
                || m.contains("unable to load region")
                || m.contains("credentials") && m.contains("must not be null");
    }

    /** Error code, HTTP status and AWS's message (capped, access key ids removed). */
    static String describe(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof AwsServiceException service) return AwsErrorText.describe(service);
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + clean(e.getMessage()));
    }

    static String describe(BatchResultErrorEntry failure) {
        return (failure.code() == null ? "unknown error" : failure.code())
                + (Boolean.TRUE.equals(failure.senderFault()) ? " (sender fault)" : "")
                + (failure.message() == null ? "" : ": " + clean(failure.message()));
    }
}
