package io.spikewatch.connectors;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.util.regex.Pattern;

/**
 * AWS error answers as text safe for messages and logs: one line, capped, with access key ids
 * removed (some AWS error messages quote the caller's). Shared by the SNS sink and the start-up checks.
 */
public final class AwsErrorText {
    // access key ids as they appear in some AWS error messages; never echo one
    private static final Pattern ACCESS_KEY = Pattern.compile("\\b(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\\b");
    private static final int MAX_DETAIL_CHARS = 300;

    private AwsErrorText() {}

    /** AWS's error code, or the exception's class name when the answer had none. */
    public static String code(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return code == null || code.isBlank() ? e.getClass().getSimpleName() : code;
    }

    /** Error code, HTTP status and AWS's message, e.g. {@code NotFound, HTTP 404: Topic does not exist}. */
    public static String describe(AwsServiceException e) {
        String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        return code(e) + ", HTTP " + e.statusCode() + (message == null ? "" : ": " + clean(message));
    }

    /** One line, capped, without access key ids. */
    public static String clean(String message) {
        String m = ACCESS_KEY.matcher(message).replaceAll("[access key id removed]").replaceAll("[\\r\\n]+", " ");
        return m.length() <= MAX_DETAIL_CHARS ? m : m.substring(0, MAX_DETAIL_CHARS) + "...";
    }
}
