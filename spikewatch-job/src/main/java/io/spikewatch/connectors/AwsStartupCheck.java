package io.spikewatch.connectors;

import io.spikewatch.config.ConfigException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.utils.SdkAutoCloseable;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * What the live job's start-up checks of AWS resources ({@code KinesisStreamCheck},
 * {@code SnsTopicCheck}) share: a client that gives up in seconds, and the mapping of a failed call to a
 * {@link ConfigException} that names the setting to fix.
 *
 * <p>Why short timeouts: the job's own clients retry for minutes (the sources back off, the SNS sink
 * re-sends), which is right for a running job and wrong for a typo in an endpoint. The check
 * connects within {@link #CONNECT_TIMEOUT}, gives one call {@link #CALL_TIMEOUT} in all and tries
 * {@link #MAX_ATTEMPTS} times, so an unreachable endpoint fails the start within seconds.
 *
 * <p>The mapping ({@link #classify}, {@link #explain}) is pure: it reads the SDK exception only, so it
 * is unit-tested with exceptions built by the SDK's builders. Messages carry setting keys, resource
 * names, regions, URLs, AWS error codes and AWS's error text with access key ids removed; never a
 * key, secret or token.
 */
public final class AwsStartupCheck {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);
    public static final int MAX_ATTEMPTS = 2;
    /** The setting that turns every start-up check off (declared in {@code ConfigLoader}). */
    public static final String SKIP_SETTING = "job.startup-checks";

    /** What a failed call says about the configuration. */
    public enum Failure {
        /** The resource does not exist (in that region and account). */
        NOT_FOUND,
        /** No answer: connection refused, unknown host, timeout, TLS failure, or no readable answer. */
        UNREACHABLE,
        /** The credentials provider found no credentials. */
        NO_CREDENTIALS,
        /** The service rejected the credentials or denied the call. */
        DENIED,
        /** Anything else (throttling after retries, server errors, invalid request). */
        OTHER
    }

    private static final Set<String> NOT_FOUND_CODES = Set.of("ResourceNotFoundException", "NotFound", "NotFoundException");
    private static final Set<String> DENIED_CODES = Set.of(
            "UnrecognizedClientException", "InvalidSignatureException", "SignatureDoesNotMatch", "IncompleteSignature",
            "IncompleteSignatureException", "ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId",
            "InvalidClientTokenIdException", "MissingAuthenticationToken", "MissingAuthenticationTokenException",
            "AuthFailure", "AuthorizationError", "AuthorizationErrorException");

    private AwsStartupCheck() {}

    /**
     * Runs {@code operation} on a synchronous client for {@code target}, built with the same region,
     * endpoint and credentials the job's own client uses but with the check's short timeouts and few
     * attempts; an SDK failure becomes the {@link ConfigException} of {@link #explain}. Closes the
     * client and the credentials provider.
     *
     * @return what {@code operation} returns: one line saying what was found
     */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C extends SdkClient> String call(
            B builder, AwsCheckTarget target, AwsCredentialsProvider credentials, Function<C, String> operation) {
        builder.httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT).socketTimeout(ATTEMPT_TIMEOUT))
                .overrideConfiguration(o -> o.apiCallTimeout(CALL_TIMEOUT).apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS).build()))
                .region(Region.of(target.region().value()))
                .credentialsProvider(credentials);
        if (target.endpoint().value() != null) builder.endpointOverride(URI.create(target.endpoint().value()));
        try (C client = builder.build()) {
            return operation.apply(client);
        } catch (SdkException e) {
            throw explain(target, e);
        } finally {
            if (credentials instanceof SdkAutoCloseable closeable) closeable.close();
        }
    }

    /** Which kind of configuration problem {@code error}, thrown by an SDK call, points at. */
    public static Failure classify(Throwable error) {
        if (error instanceof AwsServiceException service) {
            String code = AwsErrorText.code(service);
            if (NOT_FOUND_CODES.contains(code)) return Failure.NOT_FOUND;
            if (DENIED_CODES.contains(code) || code.startsWith("AccessDenied")
                    || service.statusCode() == 401 || service.statusCode() == 403) {
                return Failure.DENIED;
            }
            return Failure.OTHER;
        }
        if (error instanceof SdkClientException client) {
            return credentialsMissing(client) ? Failure.NO_CREDENTIALS : Failure.UNREACHABLE;
        }
        return Failure.OTHER;
    }

    /** The message for a failed check call: names the setting to fix first, then what happened. */
    public static ConfigException explain(AwsCheckTarget t, Throwable error) {
        String what = t.service() + " " + t.resource() + " '" + t.name().value() + "'";
        String message = switch (classify(error)) {
            case NOT_FOUND -> t.name().key() + ": " + what + " does not exist in region " + t.region().value()
                    + " (endpoint " + t.url() + "; " + detail(error) + "). Check " + t.name().key() + ", "
                    + t.region().key() + (t.endpoint().value() == null ? "" : " and " + t.endpoint().key())
                    + ", or create the " + t.resource() + ".";
            case UNREACHABLE -> t.endpoint().value() != null
                    ? t.endpoint().key() + ": cannot reach " + t.service() + " at " + t.url() + " (" + detail(error)
                            + ") to check " + what + ". Is the server running, and is " + t.endpoint().key() + " right?"
                    : t.region().key() + ": cannot reach " + t.service() + " at " + t.url() + " (" + detail(error)
                            + ") to check " + what + ". Is region '" + t.region().value()
                            + "' right, and can this machine reach AWS (DNS, proxy, VPC endpoint)?";
            case NO_CREDENTIALS -> t.credentials().key() + (t.credentials().value() == null ? "" : "=" + t.credentials().value())
                    + ": no AWS credentials found "
                    + "for " + t.service() + "; tried " + t.credentialsTried() + ".";
            case DENIED -> t.credentials().key() + ": " + t.service() + " at " + t.url() + " refused " + t.operation()
                    + " of " + t.resource() + " '" + t.name().value() + "' (" + detail(error) + ") for the credentials from "
                    + t.credentialsTried() + ": they are invalid or expired, belong to another account or partition, "
                    + "or lack the permission " + t.permission() + ". Where the job's role may not call "
                    + t.operation() + ", set " + SKIP_SETTING + "=false.";
            case OTHER -> t.name().key() + ": " + t.operation() + " of " + what + " in region " + t.region().value()
                    + " at " + t.url() + " failed (" + detail(error) + ").";
        };
        return new ConfigException(message, error);
    }

    /** Error code, HTTP status and AWS's message; or the root cause of a client-side failure. */
    static String detail(Throwable error) {
        if (error instanceof AwsServiceException service) return AwsErrorText.describe(service);
        if (error instanceof ApiCallTimeoutException) return "no answer within " + CALL_TIMEOUT.toSeconds() + "s";
        if (error instanceof ApiCallAttemptTimeoutException) return "no answer within " + ATTEMPT_TIMEOUT.toSeconds() + "s";
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + AwsErrorText.clean(root.getMessage()));
    }

    /** How the SDK's providers and chains say that they found nothing (no secret in it either way). */
    private static boolean credentialsMissing(SdkClientException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("unable to load credentials") || m.contains("contained no credentials")) return true;
        }
        return false;
    }
}
