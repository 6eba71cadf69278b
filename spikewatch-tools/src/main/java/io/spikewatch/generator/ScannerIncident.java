package io.spikewatch.generator;

import io.spikewatch.evaluation.TruthIncident;
import io.spikewatch.generator.AddressPlan.Stream;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A low-and-slow vulnerability scanner: one IP (80% foreign) probing {@code /wp-admin},
 * {@code /.env}, {@code /phpmyadmin} and the like at 30–50 req/min for 60–180 minutes; 85–95% of its
 * requests end in 4xx (a few of them WAF blocks). Its volume alone is unremarkable — the busiest
 * customers send as much — so it is found by its client-error rate. Label: {@code ip}, kind
 * {@code scanner}.
 */
final class ScannerIncident extends PlantedIncident {
    static final String KIND = "scanner";
    private static final String[] USER_AGENTS = {
        "Mozilla/5.0 zgrab/0.x",
        "python-requests/2.31.0",
        "Mozilla/5.0 (compatible; Nuclei - Open-source project (github.com/projectdiscovery/nuclei))",
        "Fuzz Faster U Fool v2.1.0",
        "Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0",
        "curl/8.5.0"
    };

    private final Client client;
    private final int ratePerMinute;
    private final double errorShare;
    private final String userAgent;

    ScannerIncident(Context ctx, SplittableRandom rnd, long startMillis, int maxMinutes) {
        super(ctx, rnd, startMillis, Math.min(between(rnd, 60, 180), maxMinutes));
        int country = rnd.nextDouble() < 0.8 ? ctx.population().randomForeignCountry(rnd) : CountryCatalog.HOME;
        client = ctx.population().newAnonymousClient(country, rnd.nextDouble() < ClientPopulation.IPV6_SHARE,
                Stream.INCIDENT, rnd);
        ratePerMinute = between(rnd, 30, 50);
        errorShare = 0.85 + 0.10 * rnd.nextDouble();
        userAgent = USER_AGENTS[rnd.nextInt(USER_AGENTS.length)];
    }

    @Override
    void emit(long minuteStart, List<SyntheticRequest> out) {
        int n = PoissonDraw.sample(rnd, ratePerMinute);
        for (int i = 0; i < n; i++) {
            out.add(ctx.factory().probe(client, userAgent, minuteStart + rnd.nextInt(60_000), errorShare, rnd));
        }
    }

    @Override
    TruthIncident truth() {
        return label(KIND, "ip", client.ip, client.countryCode, client.scope());
    }
}
