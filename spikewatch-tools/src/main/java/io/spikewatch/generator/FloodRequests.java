package io.spikewatch.generator;

import io.spikewatch.generator.AddressPlan.Stream;
import java.util.SplittableRandom;

/**
 * Single-IP floods made on demand as AWS WAF log lines, for injecting into a live stream (the
 * detection-latency benchmark injects one per run into background traffic from
 * {@link TrafficGenerator}). Each {@link #next()} flood comes from a fresh address of the incident
 * address stream, which the generator's background clients never use, in a foreign country 60% of
 * the time as in the planted {@code ip-flood}, with one tool user agent. Its requests are those of
 * the planted flood's first minute: not yet rate-limited by WAF.
 *
 * <p>Only WAF lines: ALB access logs reach AWS consumers in 5-minute batches, so seconds-latency
 * detection is a WAF-path property. Not thread-safe.
 */
public final class FloodRequests {
    // Ids far above the generator's regular and incident client ranges; they only seed connection ids.
    private static final int FIRST_CLIENT_ID = 2_000_000_000;

    private final CountryCatalog catalog;
    private final AddressPlan addresses;
    private final AliasTable foreign;
    private final RequestFactory factory = new RequestFactory();
    /** Two streams, so that which addresses the floods get does not depend on how many requests each sent. */
    private final SplittableRandom clientRnd;
    private final SplittableRandom requestRnd;
    private final StringBuilder line = new StringBuilder(2048);
    private int nextId = FIRST_CLIENT_ID;

    public FloodRequests(long seed, String homeCountry) {
        catalog = new CountryCatalog(homeCountry);
        addresses = new AddressPlan(catalog.countries());
        foreign = new AliasTable(catalog.foreignWeights());
        SplittableRandom root = new SplittableRandom(seed);
        clientRnd = root.split();
        requestRnd = root.split();
    }

    /** A new flood source: a fresh IP and user agent. */
    public Flood next() {
        SplittableRandom rnd = clientRnd;
        int country = rnd.nextDouble() < 0.6 ? foreign.sample(rnd) : CountryCatalog.HOME;
        String ip = addresses.allocate(country, rnd.nextDouble() < ClientPopulation.IPV6_SHARE, Stream.INCIDENT);
        String userAgent = IpFloodIncident.USER_AGENTS[rnd.nextInt(IpFloodIncident.USER_AGENTS.length)];
        Client client = new Client(nextId++, ip, country, catalog.get(country).code(), country == CountryCatalog.HOME,
                userAgent, rnd.nextDouble() < 0.9, rnd.nextDouble() < 0.6, false);
        return new Flood(client);
    }

    /** One flooding client. */
    public final class Flood {
        private final Client client;

        private Flood(Client client) {
            this.client = client;
        }

        public String ip() {
            return client.ip;
        }

        /** ISO-2 country code, as its WAF records carry it. */
        public String country() {
            return client.countryCode;
        }

        /** The WAF log line of one request of this flood arriving at {@code timeMillis}. */
        public String wafLine(long timeMillis) {
            SyntheticRequest r = factory.flood(client, client.userAgent, timeMillis, false, requestRnd);
            line.setLength(0);
            WafLogFormat.append(line, r);
            return line.toString();
        }
    }
}
