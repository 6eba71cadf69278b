package io.spikewatch.replay;

import io.spikewatch.parsing.CollectingOutput;
import io.spikewatch.parsing.LogLineParser;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The series source in a Flink job: every row's count of lines, in event-time order. */
class SeriesLineSourceTest {
    private static final long T0 = 1_800_000_000_000L;
    private static final long STEP = 300_000L;

    @Test
    void emitsEachRowsCountOfLinesInEventTimeOrder() throws Exception {
        int[] counts = {3, 0, 250, 1, 40, 0, 0, 17};
        long[] start = new long[counts.length];
        long[] end = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            start[i] = T0 + i * STEP;
            end[i] = start[i] + STEP;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<String> lines = new ArrayList<>();
        env.fromSource(SeriesLineSource.create(start, end, counts, 5, "US"), WatermarkStrategy.noWatermarks(), "series")
                .setParallelism(1)
                .executeAndCollect().forEachRemaining(lines::add);

        LogLineParser parser = new LogLineParser();
        CollectingOutput out = new CollectingOutput();
        for (String line : lines) parser.parse(line, "waf", 0, out);
        assertThat(out.deadLetters).isEmpty();
        int[] perRow = new int[counts.length];
        long previous = Long.MIN_VALUE;
        for (var e : out.events) {
            assertThat(e.timestamp).isGreaterThanOrEqualTo(previous);
            previous = e.timestamp;
            perRow[(int) ((e.timestamp - T0) / STEP)]++;
        }
        assertThat(perRow).containsExactly(counts);
    }
}
