package io.spikewatch.analyst;

import java.io.IOException;
import java.time.Instant;
import java.util.function.Consumer;

/** Where the output documents come from: a replay folder or an OpenSearch cluster. */
public interface DocumentSource {
    /** Feeds every document the filter selects, as its typed row; alerts once per incident (latest state). */
    void scan(DocumentFilter filter, Consumer<OutputRow> each) throws IOException;

    /**
     * The instant "now" means for relative ranges such as {@code --since 24h}: the current time for
     * a live cluster, the newest document for a replay folder (its data may be months old).
     */
    Instant referenceTime() throws IOException;

    /** For messages and the report header, e.g. the folder or the URL. */
    String describe();
}
