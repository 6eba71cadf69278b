package io.spikewatch.functions;

import io.spikewatch.detection.Dimension;
import io.spikewatch.records.AccessEvent;

/**
 * One event as seen by one key: the unit the detection operator is keyed on. An event fans out to
 * its ip, its country (when known), its scope (domestic/foreign) and the {@code all} scope.
 */
public class Observation {
    /** Keyed-state key: {@code dimension|key}. The source is not in it because each source has its own operator. */
    public String stateKey;
    public Dimension dimension;
    public String key;
    public AccessEvent event;

    public Observation() {}

    public Observation(Dimension dimension, String key, AccessEvent event) {
        this.stateKey = dimension.label() + "|" + key;
        this.dimension = dimension;
        this.key = key;
        this.event = event;
    }
}
