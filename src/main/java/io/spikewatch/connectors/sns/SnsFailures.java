package io.spikewatch.connectors.sns;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

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
    // access key ids as they appear in some AWS error messages; never echo one
    private static final Pattern ACCESS_KEY = Pattern.compile("\\b(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\\b");
    private static final int MAX_DETAIL_CHARS = 300;

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
        return m.contains("unable to load credentials") || m.contains("unable to load region")
                || m.contains("credentials") && m.contains("must not be null");
    }

    /** Error code, HTTP status and AWS's message (capped, access key ids removed). */
    static String describe(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            String message = service.awsErrorDetails() == null ? service.getMessage() : service.awsErrorDetails().errorMessage();
            return (code == null ? e.getClass().getSimpleName() : code) + ", HTTP " + service.statusCode()
                    + (message == null ? "" : ": " + clean(message));
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + clean(e.getMessage()));
    }

    static String describe(BatchResultErrorEntry failure) {
        return (failure.code() == null ? "unknown error" : failure.code())
                + (Boolean.TRUE.equals(failure.senderFault()) ? " (sender fault)" : "")
                + (failure.message() == null ? "" : ": " + clean(failure.message()));
    }

    static String clean(String message) {
        String m = ACCESS_KEY.matcher(message).replaceAll("[access key id removed]").replaceAll("[\\r\\n]+", " ");
        return m.length() <= MAX_DETAIL_CHARS ? m : m.substring(0, MAX_DETAIL_CHARS) + "...";
    }
}
