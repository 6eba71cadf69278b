package io.spikewatch.generator;

import io.spikewatch.evaluation.TruthIncident;
import io.spikewatch.generator.AddressPlan.Stream;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One new IP (60% foreign, 40% domestic) sending 1,500–4,000 req/min for 5–15 minutes to ordinary
 * pages, search and the cart API. WAF's rate-based rule blocks 95% of its requests from the second
 * minute on (the rule evaluates a sliding window, so the first minute gets through). Label: {@code ip}.
 */
final class IpFloodIncident extends PlantedIncident {
    static final String KIND = "ip-flood";
    /** Tools floods come from; {@link FloodRequests} draws from the same list. */
    static final String[] USER_AGENTS = {
        "python-requests/2.32.3",
        "Go-http-client/2.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
        "axios/1.7.7"
    };

    private final Client client;
    private final int ratePerMinute;
    private final String userAgent;

    IpFloodIncident(Context ctx, SplittableRandom rnd, long startMillis, int maxMinutes) {
        super(ctx, rnd, startMillis, Math.min(between(rnd, 5, 15), maxMinutes));
        int country = rnd.nextDouble() < 0.6 ? ctx.population().randomForeignCountry(rnd) : CountryCatalog.HOME;
        client = ctx.population().newAnonymousClient(country, rnd.nextDouble() < ClientPopulation.IPV6_SHARE,
                Stream.INCIDENT, rnd);
        ratePerMinute = between(rnd, 1500, 4000);
        userAgent = USER_AGENTS[rnd.nextInt(USER_AGENTS.length)];
    }

    @Override
    void emit(long minuteStart, List<SyntheticRequest> out) {
        int n = PoissonDraw.sample(rnd, ratePerMinute);
        for (int i = 0; i < n; i++) {
            long t = minuteStart + rnd.nextInt(60_000);
            boolean limited = t >= startMillis + 60_000 && rnd.nextDouble() < 0.95;
            out.add(ctx.factory().flood(client, userAgent, t, limited, rnd));
        }
    }

    @Override
    TruthIncident truth() {
        return label(KIND, "ip", client.ip, client.countryCode, client.scope());
    }
}
