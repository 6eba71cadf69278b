package io.spikewatch.generator;

import io.spikewatch.evaluation.TruthIncident;
import io.spikewatch.generator.AddressPlan.Stream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A distributed surge from one foreign country: 300–800 new IPs, each at 2–10 req/min (far below any
 * per-IP threshold), joining within the first two minutes and staying 10–30 minutes; credential
 * stuffing on {@code POST /login} and scraping of search and product API. Together they send at least
 * 5× the country's normal rate and at least 400 req/min (more IPs are added when the drawn ones fall
 * short). The country is drawn among the 2nd–11th most active foreign countries: large enough to have
 * a baseline, small enough that the surge stands out. Label: {@code country}.
 */
final class CountrySurgeIncident extends PlantedIncident {
    static final String KIND = "country-surge";

    private final int country;
    private final String countryCode;
    private final List<Client> clients = new ArrayList<>();
    private final List<double[]> plan = new ArrayList<>(); // {rate per minute, join offset ms}

    CountrySurgeIncident(Context ctx, SplittableRandom rnd, long startMillis, int maxMinutes) {
        super(ctx, rnd, startMillis, Math.min(between(rnd, 10, 30), maxMinutes));
        country = pickCountry(ctx, rnd);
        countryCode = ctx.catalog().get(country).code();
        double normalPeak = 0;
        for (long t = startMillis; t < endMillis; t += 60_000) {
            normalPeak = Math.max(normalPeak, ctx.model().legitRate(country, t));
        }
        double needed = Math.max(400, 5 * normalPeak) * 1.15; // margin for Poisson noise and the join ramp
        int ips = between(rnd, 300, 800);
        double total = 0;
        for (int i = 0; i < ips || total < needed; i++) {
            double rate = 2 + 8 * rnd.nextDouble();
            plan.add(new double[] {rate, rnd.nextInt(120_000)});
            clients.add(ctx.population().newAnonymousClient(country, rnd.nextDouble() < ClientPopulation.IPV6_SHARE,
                    Stream.INCIDENT, rnd));
            total += rate;
        }
    }

    private static int pickCountry(Context ctx, SplittableRandom rnd) {
        double[] share = ctx.population().countryShare;
        List<Integer> foreign = new ArrayList<>();
        for (int c = 1; c < share.length; c++) {
            if (share[c] > 0) foreign.add(c);
        }
        if (foreign.isEmpty()) return ctx.population().randomForeignCountry(rnd);
        foreign.sort(Comparator.comparingDouble((Integer c) -> -share[c]).thenComparing(c -> c));
        int from = foreign.size() > 1 ? 1 : 0;
        int to = Math.min(foreign.size(), 11);
        return foreign.get(from + rnd.nextInt(to - from));
    }

    @Override
    void emit(long minuteStart, List<SyntheticRequest> out) {
        long minuteEnd = minuteStart + 60_000;
        for (int i = 0; i < clients.size(); i++) {
            double[] p = plan.get(i);
            long from = Math.max(minuteStart, startMillis + (long) p[1]);
            if (from >= minuteEnd) continue;
            long span = minuteEnd - from;
            int n = PoissonDraw.sample(rnd, p[0] * span / 60_000.0);
            for (int k = 0; k < n; k++) {
                out.add(ctx.factory().surge(clients.get(i), from + rnd.nextInt((int) span), rnd));
            }
        }
    }

    @Override
    TruthIncident truth() {
        return label(KIND, "country", countryCode, countryCode, "foreign");
    }
}
