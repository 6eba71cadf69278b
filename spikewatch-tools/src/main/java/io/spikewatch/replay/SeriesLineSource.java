package io.spikewatch.replay;

import io.spikewatch.generator.SeriesTraffic;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * A bounded FLIP-27 source of the WAF log lines of a series of request counts (see
 * {@link SeriesTraffic}), made on the fly in event-time order, so that a long series is replayed
 * without writing its logs to disk.
 *
 * <p>Lines come out in order only when the source runs at parallelism 1 (one reader, one split
 * read from the first index to the last): the generator function walks the rows as the indices
 * advance and ignores the index itself.
 */
public final class SeriesLineSource {
    private SeriesLineSource() {}

    /**
     * @param rowStart start of each row (epoch ms); {@code rowEnd} its exclusive end
     * @param counts   requests per row
     */
    public static DataGeneratorSource<String> create(long[] rowStart, long[] rowEnd, int[] counts, long seed,
                                                     String homeCountry) {
        long total = 0;
        for (int c : counts) total += c;
        return new DataGeneratorSource<>(new Lines(rowStart.clone(), rowEnd.clone(), counts.clone(), seed, homeCountry),
                total, Types.STRING);
    }

    private static final class Lines implements GeneratorFunction<Long, String> {
        private static final long serialVersionUID = 1L;

        private final long[] rowStart;
        private final long[] rowEnd;
        private final int[] counts;
        private final long seed;
        private final String homeCountry;

        private transient SeriesTraffic traffic;
        private transient int row;
        private transient long[] times;
        private transient int next;

        Lines(long[] rowStart, long[] rowEnd, int[] counts, long seed, String homeCountry) {
            this.rowStart = rowStart;
            this.rowEnd = rowEnd;
            this.counts = counts;
            this.seed = seed;
            this.homeCountry = homeCountry;
        }

        @Override
        public String map(Long index) {
            if (traffic == null) {
                traffic = new SeriesTraffic(seed, homeCountry, SeriesTraffic.DEFAULT_DISTINCT_IPS);
                row = -1;
                times = new long[0];
            }
            while (next == times.length) {
                row++;
                if (row >= counts.length) throw new IllegalStateException("more lines asked for than the series holds");
                times = traffic.arrivalTimes(row, rowStart[row], rowEnd[row], counts[row]);
                next = 0;
            }
            return traffic.wafLine(times[next++]);
        }
    }
}
