package io.spikewatch.bench;

import io.spikewatch.bench.DetectionLatencyBenchmark.Stats;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.DoubleStream;

import static org.assertj.core.api.Assertions.assertThat;

class DetectionLatencyBenchmarkTest {
    @Test
    void nearestRankP95IsTheMaximumForFewSamples() {
        Stats s = Stats.of(List.of(0.9, 0.7, 0.8, 2.0, 0.6));
        assertThat(s.median()).isEqualTo(0.8);
        assertThat(s.p95()).isEqualTo(2.0);
        assertThat(s.min()).isEqualTo(0.6);
        assertThat(s.count()).isEqualTo(5);
    }

    @Test
    void nearestRankP95OfTwentySamplesIsTheNineteenth() {
        Stats s = Stats.of(DoubleStream.iterate(1, v -> v + 1).limit(20).boxed().toList());
        assertThat(s.p95()).isEqualTo(19.0);
        assertThat(s.median()).isEqualTo(10.5);
    }

    @Test
    void noSamplesGiveNaN() {
        assertThat(Stats.of(List.of()).median()).isNaN();
    }
}
