package io.spikewatch.cli;

import io.spikewatch.config.Settings;
import io.spikewatch.connectors.opensearch.OpenSearchSettings;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * How the commands that talk to OpenSearch ({@code setup}, {@code report}, {@code denylist}) connect:
 * basic auth with the password from an environment variable or a file (never the command line), a
 * private CA, or SigV4 with the AWS default credentials or a named profile. Mapped onto the job's
 * {@code opensearch.*} settings, so a command connects exactly as the job would.
 */
public class OpenSearchConnectionOptions {
    @Option(names = "--username", paramLabel = "U", description = "Basic-auth user (needs --password-env or --password-file).")
    String username;

    @Option(names = "--password-env", paramLabel = "VAR", description = "Environment variable holding the password.")
    String passwordEnv;

    @Option(names = "--password-file", paramLabel = "FILE", description = "File holding the password.")
    Path passwordFile;

    @Option(names = "--ca-cert", paramLabel = "FILE", description = "PEM file of the CA that signed the cluster's certificate.")
    Path caCert;

    @Option(names = "--sigv4-region", paramLabel = "R",
            description = "Sign requests with AWS SigV4 for this region (credentials: the AWS default chain, or --profile).")
    String sigV4Region;

    @Option(names = "--profile", paramLabel = "NAME",
            description = "AWS profile whose credentials sign the requests, like aws.credentials.profile (with --sigv4-region).")
    String profile;

    @Option(names = "--sigv4-service", paramLabel = "es|aoss", defaultValue = "es",
            description = "SigV4 service: es (OpenSearch Service) or aoss (Serverless). Default: ${DEFAULT-VALUE}.")
    String sigV4Service;

    @Option(names = "--index-prefix", paramLabel = "P", defaultValue = "spikewatch",
            description = "Index prefix (the job's opensearch.index-prefix). Default: ${DEFAULT-VALUE}.")
    String indexPrefix;

    /** The {@code opensearch.*} (and {@code aws.credentials.profile}) settings for OpenSearch at {@code url}. */
    Map<String, String> settingsMap(String url) {
        Map<String, String> m = new HashMap<>();
        m.put(OpenSearchSettings.HOSTS, url);
        m.put(OpenSearchSettings.INDEX_PREFIX, indexPrefix);
        if (username != null) m.put(OpenSearchSettings.USERNAME, username);
        if (passwordEnv != null) m.put(OpenSearchSettings.PASSWORD_ENV, passwordEnv);
        if (passwordFile != null) m.put(OpenSearchSettings.PASSWORD_FILE, passwordFile.toString());
        if (caCert != null) m.put(OpenSearchSettings.CA_CERT, caCert.toString());
        if (sigV4Region != null) {
            m.put(OpenSearchSettings.SIGV4_ENABLED, "true");
            m.put(OpenSearchSettings.SIGV4_REGION, sigV4Region);
            m.put(OpenSearchSettings.SIGV4_SERVICE, sigV4Service);
        }
        if (profile != null) m.put(Settings.AWS_CREDENTIALS_PROFILE.key(), profile);
        return m;
    }
}
