package io.spikewatch.bench;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How a benchmark job's process hands its result to {@code ./spikewatch bench}: every figure back, exactly. */
class ThroughputResultTextTest {
    @Test
    void aResultReadsBackEqualWithItsCpuGroupsInOrder() {
        Map<String, Double> groups = new LinkedHashMap<>();
        groups.put("source chain", 1.4567891234567);
        groups.put("ip detector", 0.1 + 0.2);
        groups.put("JIT compiler", 0.0);
        ThroughputBenchmark.Result r = new ThroughputBenchmark.Result("waf", 600_000, 599_999, 1_686, 33, 2,
                new ResourceMeter.Usage(2.0012345, 3.1666666666666665, 1_503_000_123_456L, 0.07, groups));

        ThroughputBenchmark.Result back = ThroughputBenchmark.Result.fromText(r.toText());

        assertThat(back).isEqualTo(r);
        assertThat(back.usage().cpuSecondsByGroup().keySet()).containsExactly("source chain", "ip detector", "JIT compiler");
        assertThat(back.eventsPerCpuSecond()).isEqualTo(r.eventsPerCpuSecond());
    }

    @Test
    void aTruncatedOrGarbledResultIsAnErrorNotAZero() {
        ThroughputBenchmark.Result r = new ThroughputBenchmark.Result("alb", 10, 10, 0, 0, 0,
                new ResourceMeter.Usage(1, 1, 1, 0, Map.of()));
        String text = r.toText();
        assertThatThrownBy(() -> ThroughputBenchmark.Result.fromText(text.replaceAll("(?m)^cpuSeconds=.*$", "")))
                .hasMessageContaining("cpuSeconds");
        assertThatThrownBy(() -> ThroughputBenchmark.Result.fromText(text.replace("events=10", "events=ten")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ThroughputBenchmark.Result.fromText("no equals sign"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
