package io.spikewatch.generator;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Turns a time series of request counts (one count per row, e.g. a NAB data file) into AWS WAF log
 * lines: each row's count becomes that many requests at uniformly random times in the row's
 * interval, each from a client drawn uniformly from a pool of regular clients (75% domestic, the
 * rest spread over the foreign countries as the generator spreads them), so that the series shows
 * in the aggregate keys (scope and country) and no single IP stands out. The requests are ordinary
 * browsing requests of the generator, with its usual shares of blocks and 4xx.
 *
 * <p>Deterministic: the same seed gives the same pool, and a row's arrival times depend only on the
 * seed and the row index. Not thread-safe.
 */
public final class SeriesTraffic {
    public static final int DEFAULT_DISTINCT_IPS = 10_000;

    private final long seed;
    private final ClientPopulation population;
    private final RequestFactory factory = new RequestFactory();
    private final SplittableRandom requestRnd;
    private final StringBuilder line = new StringBuilder(2048);

    public SeriesTraffic(long seed, String homeCountry, int distinctIps) {
        if (distinctIps < 1) throw new IllegalArgumentException("distinct IPs must be >= 1");
        this.seed = seed;
        CountryCatalog catalog = new CountryCatalog(homeCountry);
        SplittableRandom root = new SplittableRandom(seed);
        // Traffic shares are not used: clients are drawn uniformly, so no cap is needed.
        population = new ClientPopulation(distinctIps, 1.0, catalog, new AddressPlan(catalog.countries()), root.split());
        requestRnd = root.split();
    }

    /** Sorted arrival times (epoch ms) of {@code count} requests in {@code [start, end)}, for row {@code row}. */
    public long[] arrivalTimes(int row, long start, long end, int count) {
        if (end <= start) throw new IllegalArgumentException("row " + row + " has an empty interval");
        if (count < 0) throw new IllegalArgumentException("row " + row + " has a negative count");
        SplittableRandom rnd = new SplittableRandom(AddressPlan.mix(seed * 1_000_003L + row));
        long[] times = new long[count];
        for (int i = 0; i < count; i++) times[i] = rnd.nextLong(start, end);
        Arrays.sort(times);
        return times;
    }

    /** The WAF log line of one request arriving at {@code timeMillis} from a client of the pool. */
    public String wafLine(long timeMillis) {
        Client c = population.clients.get(requestRnd.nextInt(population.clients.size()));
        SyntheticRequest r = factory.browse(c, timeMillis, requestRnd);
        line.setLength(0);
        WafLogFormat.append(line, r);
        return line.toString();
    }
}
