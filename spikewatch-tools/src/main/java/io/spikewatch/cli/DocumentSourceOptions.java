package io.spikewatch.cli;

import io.spikewatch.analyst.DocumentSource;
import io.spikewatch.analyst.OpenSearchSource;
import io.spikewatch.analyst.ReplayFolderSource;
import io.spikewatch.connectors.opensearch.OpenSearchHttpClient;
import io.spikewatch.connectors.opensearch.OpenSearchSettings;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Where {@code denylist} and {@code report} read documents: a replay folder ({@code --input DIR})
 * or the job's OpenSearch indices ({@code --opensearch URL} with the connection options of
 * {@code setup}: basic auth from an environment variable or file, a private CA, or SigV4).
 */
public class DocumentSourceOptions {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Where where;

    static class Where {
        @Option(names = "--input", paramLabel = "DIR", required = true,
                description = "Folder written by 'replay --output DIR' (rates.jsonl, alerts.jsonl, deadletter.jsonl).")
        Path input;

        @Option(names = "--opensearch", paramLabel = "URL", required = true,
                description = "OpenSearch URL holding the job's indices, e.g. http://127.0.0.1:9200.")
        String url;
    }

    @Option(names = "--username", paramLabel = "U", description = "Basic-auth user (needs --password-env or --password-file).")
    String username;

    @Option(names = "--password-env", paramLabel = "VAR", description = "Environment variable holding the password.")
    String passwordEnv;

    @Option(names = "--password-file", paramLabel = "FILE", description = "File holding the password.")
    Path passwordFile;

    @Option(names = "--ca-cert", paramLabel = "FILE", description = "PEM file of the CA that signed the cluster's certificate.")
    Path caCert;

    @Option(names = "--sigv4-region", paramLabel = "R", description = "Sign requests with AWS SigV4 for this region (default AWS credentials).")
    String sigV4Region;

    @Option(names = "--sigv4-service", paramLabel = "es|aoss", defaultValue = "es",
            description = "SigV4 service: es (OpenSearch Service) or aoss (Serverless). Default: ${DEFAULT-VALUE}.")
    String sigV4Service;

    @Option(names = "--index-prefix", paramLabel = "P", defaultValue = "spikewatch",
            description = "Index prefix (the job's opensearch.index-prefix). Default: ${DEFAULT-VALUE}.")
    String indexPrefix;

    public boolean isReplayFolder() {
        return where.input != null;
    }

    public DocumentSource open(Clock clock) throws IOException {
        if (where.input != null) return new ReplayFolderSource(where.input);
        OpenSearchSettings settings = OpenSearchSettings.fromMap(settingsMap());
        return new OpenSearchSource(new OpenSearchHttpClient(settings), settings.indexPrefix(), clock);
    }

    /** The same mapping from options to {@code opensearch.*} settings as {@code setup}. */
    Map<String, String> settingsMap() {
        Map<String, String> m = new HashMap<>();
        m.put(OpenSearchSettings.HOSTS, where.url);
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
        return m;
    }
}
