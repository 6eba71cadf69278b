package io.spikewatch.detection;

import io.spikewatch.records.AlertDocument;
import io.spikewatch.records.RateDocument;

/** Where {@link KeyDetector} puts what it decides; the Flink function maps it to its outputs. */
public interface DetectionOutput {
    void rate(RateDocument rate);

    void alert(AlertDocument alert);
}
