package io.spikewatch.functions;

import io.spikewatch.config.SpikewatchConfig;
import io.spikewatch.enrichment.EventEnricher;
import io.spikewatch.records.AccessEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Adds country (ALB, from the GeoIP database), domestic flag and allowlist flag to each event.
 * The database is opened once per subtask in {@link #open}; a missing or unreadable file fails the
 * job at start with a message naming the file, not at the first ALB event.
 */
public class EnrichEventsFunction extends RichMapFunction<AccessEvent, AccessEvent> {
    private final SpikewatchConfig.Enrichment settings;
    private transient EventEnricher enricher;

    public EnrichEventsFunction(SpikewatchConfig.Enrichment settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        enricher = EventEnricher.open(settings);
    }

    @Override
    public AccessEvent map(AccessEvent event) {
        enricher.enrich(event);
        return event;
    }

    @Override
    public void close() throws Exception {
        if (enricher != null) enricher.close();
    }
}
