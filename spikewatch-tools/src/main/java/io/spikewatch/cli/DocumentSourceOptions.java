package io.spikewatch.cli;

import io.spikewatch.analyst.DocumentSource;
import io.spikewatch.analyst.OpenSearchSource;
import io.spikewatch.analyst.ReplayFolderSource;
import io.spikewatch.connectors.opensearch.OpenSearchHttpClient;
import io.spikewatch.connectors.opensearch.OpenSearchSettings;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Where {@code denylist} and {@code report} read documents: a replay folder ({@code --input DIR})
 * or the job's OpenSearch indices ({@code --opensearch URL} with {@link OpenSearchConnectionOptions},
 * as {@code setup} connects).
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

    @Mixin
    OpenSearchConnectionOptions connection;

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
        return connection.settingsMap(where.url);
    }
}
