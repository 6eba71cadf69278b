package io.spikewatch.generator;

import io.spikewatch.evaluation.TruthIncident;
import io.spikewatch.generator.AddressPlan.Stream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A legitimate domestic flash crowd (a live event, a TV mention): domestic traffic rises to 3–5× its
 * normal rate within two minutes — half the peak in the first minute, all of it in the second — and
 * then decays along a half cosine over 20–40 minutes. Half of the extra requests come from existing
 * domestic clients (spread evenly, so no single client becomes unusually busy), half from a pool of
 * new domestic clients, each sending about 3 req/min at the peak. Ordinary pages and assets, mostly
 * the trending page; WAF blocks none of them. Label: {@code scope}, key {@code domestic}.
 */
final class FlashCrowdIncident extends PlantedIncident {
    static final String KIND = "flash-crowd";

    private final double multiplier;
    private final int decayMinutes;
    private final List<Client> newcomers = new ArrayList<>();
    private final int[] regulars;

    FlashCrowdIncident(Context ctx, SplittableRandom rnd, long startMillis, int maxMinutes) {
        this(ctx, rnd, startMillis, maxMinutes, 3 + 2 * rnd.nextDouble(), between(rnd, 20, 40));
    }

    private FlashCrowdIncident(Context ctx, SplittableRandom rnd, long startMillis, int maxMinutes, double multiplier,
            int decayMinutes) {
        super(ctx, rnd, startMillis, Math.min(2 + decayMinutes, maxMinutes));
        this.multiplier = multiplier;
        this.decayMinutes = decayMinutes;
        regulars = ctx.population().countryClients[CountryCatalog.HOME];
        double peakExtra = (multiplier - 1) * ctx.model().legitRate(CountryCatalog.HOME, startMillis + 60_000);
        int pool = (int) Math.max(200, Math.min(20_000, Math.round(peakExtra / 2 / 3)));
        for (int i = 0; i < pool; i++) {
            newcomers.add(ctx.population().newAnonymousClient(CountryCatalog.HOME,
                    rnd.nextDouble() < ClientPopulation.IPV6_SHARE, Stream.INCIDENT, rnd));
        }
    }

    /** Fraction of the peak excess in minute {@code m} of the incident. */
    double shape(int m) {
        if (m == 0) return 0.5;
        if (m == 1) return 1.0;
        return 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, (m - 1) / (double) decayMinutes)));
    }

    @Override
    void emit(long minuteStart, List<SyntheticRequest> out) {
        int m = (int) ((minuteStart - startMillis) / 60_000);
        double extra = (multiplier - 1) * ctx.model().legitRate(CountryCatalog.HOME, minuteStart) * shape(m);
        int n = PoissonDraw.sample(rnd, extra);
        for (int i = 0; i < n; i++) {
            Client c = regulars.length > 0 && rnd.nextBoolean()
                    ? ctx.population().clients.get(regulars[rnd.nextInt(regulars.length)])
                    : newcomers.get(rnd.nextInt(newcomers.size()));
            out.add(ctx.factory().trending(c, minuteStart + rnd.nextInt(60_000), rnd));
        }
    }

    @Override
    TruthIncident truth() {
        // All of a domestic flash crowd comes from the home country, so its country alert is related, not false.
        return label(KIND, "scope", "domestic", ctx.catalog().get(CountryCatalog.HOME).code(), "domestic");
    }
}
