package io.spikewatch.connectors.opensearch;

import java.io.IOException;

/**
 * OpenSearch could not be used as configured: unreachable, TLS not trusted, credentials rejected,
 * permission denied, or the cluster is not set up (templates missing). The message names the host
 * and what to check, never a password. An {@link IOException}, so the CLI reports it as one line.
 */
public class OpenSearchAccessException extends IOException {
    private final int status;

    public OpenSearchAccessException(String message, int status) {
        super(message);
        this.status = status;
    }

    public OpenSearchAccessException(String message, Throwable cause) {
        super(message, cause);
        this.status = -1;
    }

    /** HTTP status that caused it, or -1 when there was no HTTP answer. */
    public int status() {
        return status;
    }

    /** What a 401/403 from {@code host} means for these settings; shared by the sinks and setup. */
    static String rejected(String host, int status, String reasonPhrase, OpenSearchSettings settings) {
        String who = settings.sigV4Enabled()
                ? "AWS SigV4 (region " + settings.sigV4Region() + ", service " + settings.sigV4Service() + ", default AWS credentials)"
                : settings.basicAuth()
                        ? "user '" + settings.username() + "' (password from " + settings.passwordSource() + ")"
                        : "no credentials (set opensearch.username and a password source, or SigV4)";
        String phrase = reasonPhrase == null || reasonPhrase.isBlank() ? "" : " " + reasonPhrase;
        if (status == 401) {
            return "OpenSearch at " + host + " rejected authentication (HTTP 401" + phrase + ") for " + who
                    + ": check the username and the password it reads";
        }
        return "OpenSearch at " + host + " denied access (HTTP 403" + phrase + ") for " + who
                + ": authentication or signature was refused, or the identity lacks permission for spikewatch-* indices"
                + (settings.sigV4Enabled() ? " (check region, service and the role mapping)" : "");
    }
}
