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

    /**
     * What a 401/403 from {@code host} means for these settings, naming the settings that supply the
     * credentials (never their values); shared by the sinks and setup.
     */
    static String rejected(String host, int status, String reasonPhrase, OpenSearchSettings settings) {
        String who;
        String check;
        if (settings.sigV4Enabled()) {
            who = "AWS SigV4 (" + OpenSearchSettings.SIGV4_REGION + "=" + settings.sigV4Region() + ", "
                    + OpenSearchSettings.SIGV4_SERVICE + "=" + settings.sigV4Service() + ", credentials from " + settings.awsCredentials().describe() + ")";
            check = "check the identity's credentials, " + OpenSearchSettings.SIGV4_REGION + ", "
                    + OpenSearchSettings.SIGV4_SERVICE + " and the role mapping";
        } else if (settings.basicAuth()) {
            String passwordKey = settings.passwordEnv() != null ? OpenSearchSettings.PASSWORD_ENV : OpenSearchSettings.PASSWORD_FILE;
            who = "user '" + settings.username() + "' (" + OpenSearchSettings.USERNAME + ", password from "
                    + settings.passwordSource() + " per " + passwordKey + ")";
            check = "check " + OpenSearchSettings.USERNAME + " and the password " + passwordKey + " points at";
        } else {
            who = "no credentials";
            check = "set " + OpenSearchSettings.USERNAME + " with " + OpenSearchSettings.PASSWORD_ENV + " or "
                    + OpenSearchSettings.PASSWORD_FILE + ", or " + OpenSearchSettings.SIGV4_ENABLED + "=true";
        }
        String phrase = reasonPhrase == null || reasonPhrase.isBlank() ? "" : " " + reasonPhrase;
        if (status == 401) {
            return "OpenSearch at " + host + " rejected authentication (HTTP 401" + phrase + ") for " + who + ": " + check;
        }
        return "OpenSearch at " + host + " denied access (HTTP 403" + phrase + ") for " + who
                + ": authentication or signature was refused, or the identity lacks permission for spikewatch-* indices; "
                + check;
    }
}
