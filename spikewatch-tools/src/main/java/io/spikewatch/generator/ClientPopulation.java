package io.spikewatch.generator;

import io.spikewatch.generator.AddressPlan.Stream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * All regular clients of a run, who they are and how much of the traffic each one sends.
 *
 * <p>Input: the number of distinct IPs, the countries, the address plan and the peak rate per client
 * that must not be exceeded. Output: the clients, each country's share of the traffic, and per
 * country an {@link AliasTable} that picks the sender of the next request. Also creates the
 * {@link CrawlerBot}s and draws anonymous clients for noise and incidents.
 *
 * <p>Model: 75% of the clients are domestic, the rest spread over the foreign countries with a Zipf
 * skew; ~10% use IPv6. Each client's share of the traffic is Pareto-distributed (α = 1.16, the 80/20
 * law) and then capped ("water-filling": excess share is spread over the others) so that the busiest
 * legitimate client stays under {@code maxClientShare} — at the daily peak about 35 req/min, below
 * 60 even with Poisson noise. Without the cap a 10,000-client Pareto draw regularly produces one
 * client with 10% of all traffic, which is an attack, not a customer.
 */
final class ClientPopulation {
    static final double DOMESTIC_SHARE = 0.75;
    static final double IPV6_SHARE = 0.10;
    private static final double PARETO_ALPHA = 1.16;

    final List<Client> clients = new ArrayList<>();
    /** Traffic share of each country (index as in {@link CountryCatalog}); sums to 1. */
    final double[] countryShare;
    /** Per country: the clients and the table that picks one by traffic share (null when none). */
    final int[][] countryClients;
    final AliasTable[] countryPicker;
    final List<CrawlerBot> bots = new ArrayList<>();

    private final CountryCatalog catalog;
    private final AddressPlan addresses;
    private final AliasTable foreignPicker;

    ClientPopulation(int distinctIps, double maxClientShare, CountryCatalog catalog, AddressPlan addresses,
            SplittableRandom rnd) {
        this.catalog = catalog;
        this.addresses = addresses;
        int countries = catalog.size();
        foreignPicker = new AliasTable(catalog.foreignWeights());
        double[] weight = new double[distinctIps];
        for (int i = 0; i < distinctIps; i++) {
            int country = rnd.nextDouble() < DOMESTIC_SHARE ? CountryCatalog.HOME : foreignPicker.sample(rnd);
            clients.add(newClient(country, rnd.nextDouble() < IPV6_SHARE, Stream.REGULAR, rnd));
            weight[i] = Math.pow(1 - rnd.nextDouble(), -1 / PARETO_ALPHA);
        }
        capShares(weight, maxClientShare);

        countryShare = new double[countries];
        int[] count = new int[countries];
        for (Client c : clients) count[c.country]++;
        countryClients = new int[countries][];
        for (int k = 0; k < countries; k++) countryClients[k] = new int[count[k]];
        int[] fill = new int[countries];
        for (Client c : clients) {
            countryClients[c.country][fill[c.country]++] = c.id;
            countryShare[c.country] += weight[c.id];
        }
        countryPicker = new AliasTable[countries];
        for (int k = 0; k < countries; k++) {
            if (count[k] == 0) continue;
            double[] w = new double[count[k]];
            for (int i = 0; i < count[k]; i++) w[i] = weight[countryClients[k][i]];
            countryPicker[k] = new AliasTable(w);
        }
        for (CrawlerBot.Kind kind : CrawlerBot.Kind.values()) {
            bots.add(new CrawlerBot(kind, newBotClient(kind)));
        }
    }

    /** The client that sends the next request of {@code country}, or null when it has none. */
    Client pick(int country, SplittableRandom rnd) {
        AliasTable t = countryPicker[country];
        return t == null ? null : clients.get(countryClients[country][t.sample(rnd)]);
    }

    /** A foreign country, more common ones more often. */
    int randomForeignCountry(SplittableRandom rnd) {
        return foreignPicker.sample(rnd);
    }

    /** A client with a fresh address that is not part of the regular population. */
    Client newAnonymousClient(int country, boolean ipv6, Stream stream, SplittableRandom rnd) {
        return newClient(country, ipv6, stream, rnd);
    }

    // Separate id ranges per stream, like the addresses: incident clients must not shift the ids
    // (and so the connection ids and ports) of background clients.
    private int nextRegularId;
    private int nextIncidentId = 1_000_000_000;

    private Client newClient(int country, boolean ipv6, Stream stream, SplittableRandom rnd) {
        String ip = addresses.allocate(country, ipv6, stream);
        Browser b = Browser.pick(rnd);
        boolean http2 = b.app || rnd.nextDouble() < 0.9;
        int id = stream == Stream.REGULAR ? nextRegularId++ : nextIncidentId++;
        return new Client(id, ip, country, catalog.get(country).code(), country == CountryCatalog.HOME,
                b.userAgent, http2, rnd.nextDouble() < 0.6, b.app);
    }

    private Client newBotClient(CrawlerBot.Kind kind) {
        int country = CountryCatalog.HOME;
        for (int k = 0; k < catalog.size(); k++) {
            if (catalog.get(k).code().equals(kind.country)) country = k;
        }
        // Crawlers run from IPv4 data-centre ranges and speak HTTP/1.1 over TLS 1.2/1.3.
        return new Client(nextRegularId++, addresses.allocate(country, false, Stream.REGULAR), country,
                catalog.get(country).code(), country == CountryCatalog.HOME, kind.userAgent, false, true, false);
    }

    /**
     * Normalizes {@code w} to sum 1 with no entry above {@code cap}, scaling the uncapped entries up
     * proportionally. When the cap cannot be met (fewer than 1/cap clients) all shares become equal.
     */
    static void capShares(double[] w, double cap) {
        int n = w.length;
        if (n * cap <= 1) {
            Arrays.fill(w, 1.0 / n);
            return;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(w[b], w[a]));
        double rest = 0;
        for (double x : w) rest += x;
        int capped = 0;
        // Cap the largest entries one by one until the largest uncapped one fits after rescaling.
        while (capped < n && w[order[capped]] * (1 - capped * cap) / rest > cap) {
            rest -= w[order[capped]];
            capped++;
        }
        double scale = (1 - capped * cap) / rest;
        for (int i = 0; i < n; i++) w[order[i]] = i < capped ? cap : w[order[i]] * scale;
    }

    /** Browsers and apps with their market share among a shop's visitors. */
    enum Browser {
        CHROME_WINDOWS(28, false, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36"),
        SAFARI_IPHONE(20, false, "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1"),
        CHROME_ANDROID(17, false, "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Mobile Safari/537.36"),
        SAFARI_MAC(8, false, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Safari/605.1.15"),
        CHROME_MAC(6, false, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36"),
        EDGE_WINDOWS(6, false, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36 Edg/141.0.0.0"),
        FIREFOX_WINDOWS(5, false, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:143.0) Gecko/20100101 Firefox/143.0"),
        CHROME_LINUX(2, false, "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36"),
        SHOP_APP_IOS(5, true, "ExampleShop/4.12.0 (iPhone; iOS 18.6; Scale/3.00)"),
        SHOP_APP_ANDROID(3, true, "ExampleShop/4.12.0 (Android 14; Pixel 8) okhttp/4.12.0");

        final int weight;
        final boolean app;
        final String userAgent;

        Browser(int weight, boolean app, String userAgent) {
            this.weight = weight;
            this.app = app;
            this.userAgent = userAgent;
        }

        private static final AliasTable PICKER = new AliasTable(
                Arrays.stream(values()).mapToDouble(b -> b.weight).toArray());

        static Browser pick(SplittableRandom rnd) {
            return values()[PICKER.sample(rnd)];
        }
    }
}
