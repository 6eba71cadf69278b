package io.spikewatch.generator;

import io.spikewatch.parsing.CollectingOutput;
import io.spikewatch.parsing.LogLineParser;
import io.spikewatch.records.AccessEvent;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeriesTrafficTest {
    private static final long ROW = 1_800_000_000_000L;
    private static final long STEP = 300_000L;

    @Test
    void aRowGetsItsCountOfSortedTimesInsideItsInterval() {
        SeriesTraffic traffic = new SeriesTraffic(7, "US", 1000);
        long[] times = traffic.arrivalTimes(3, ROW, ROW + STEP, 2500);
        assertThat(times).hasSize(2500).isSorted();
        assertThat(times[0]).isGreaterThanOrEqualTo(ROW);
        assertThat(times[times.length - 1]).isLessThan(ROW + STEP);
        // Uniform: each minute of the five holds about a fifth.
        int firstMinute = 0;
        for (long t : times) if (t < ROW + 60_000) firstMinute++;
        assertThat(firstMinute).isBetween(400, 600);
        assertThat(traffic.arrivalTimes(3, ROW, ROW + STEP, 0)).isEmpty();
    }

    @Test
    void timesDependOnlyOnSeedAndRow() {
        long[] a = new SeriesTraffic(7, "US", 1000).arrivalTimes(3, ROW, ROW + STEP, 50);
        SeriesTraffic other = new SeriesTraffic(7, "US", 1000);
        other.arrivalTimes(2, ROW - STEP, ROW, 999);
        other.wafLine(ROW);
        assertThat(other.arrivalTimes(3, ROW, ROW + STEP, 50)).isEqualTo(a);
        assertThat(new SeriesTraffic(8, "US", 1000).arrivalTimes(3, ROW, ROW + STEP, 50)).isNotEqualTo(a);
    }

    @Test
    void linesParseAsWafEventsAtTheirTimeFromAPoolWithoutAStandoutIp() {
        SeriesTraffic traffic = new SeriesTraffic(7, "US", 2000);
        LogLineParser parser = new LogLineParser();
        CollectingOutput out = new CollectingOutput();
        for (int i = 0; i < 10_000; i++) parser.parse(traffic.wafLine(ROW + i), "waf", 0, out);
        assertThat(out.deadLetters).isEmpty();
        assertThat(out.events).hasSize(10_000);
        Map<String, Integer> perIp = new HashMap<>();
        int home = 0;
        for (int i = 0; i < out.events.size(); i++) {
            AccessEvent e = out.events.get(i);
            assertThat(e.timestamp).isEqualTo(ROW + i);
            perIp.merge(e.clientIp, 1, Integer::sum);
            if ("US".equals(e.country)) home++;
        }
        assertThat(perIp.size()).isGreaterThan(1500);
        assertThat(perIp.values().stream().mapToInt(Integer::intValue).max().orElseThrow()).isLessThan(30);
        assertThat(home).isBetween(7000, 8000);
    }

    @Test
    void rejectsEmptyIntervalsAndNegativeCounts() {
        SeriesTraffic traffic = new SeriesTraffic(7, "US", 10);
        assertThatThrownBy(() -> traffic.arrivalTimes(1, ROW, ROW, 1)).hasMessageContaining("empty interval");
        assertThatThrownBy(() -> traffic.arrivalTimes(1, ROW, ROW + 1, -1)).hasMessageContaining("negative");
    }
}
