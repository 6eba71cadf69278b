package io.spikewatch.generator;

import java.util.ArrayList;
import java.util.List;

/**
 * The synthetic world's countries: the home country first, then the foreign countries in order of
 * how much traffic they send.
 *
 * <p>Each country has a UTC offset (its main time zone, driving the diurnal curve) and the regional
 * internet registry whose address space its synthetic blocks come from, so that addresses look like
 * what one sees from that part of the world (a German client in 2a02::/16 or 84.x.x.x, a Brazilian
 * one in 177.x.x.x or 2804::/16).
 */
final class CountryCatalog {
    enum Registry { ARIN, RIPE, APNIC, LACNIC, AFRINIC }

    record Country(String code, double utcOffsetHours, Registry registry) {}

    static final int FOREIGN_COUNTRIES = 25;

    /** Ordered by how common each is as foreign traffic to a typical web shop. */
    private static final List<Country> POOL = List.of(
            new Country("US", -5, Registry.ARIN),
            new Country("GB", 0, Registry.RIPE),
            new Country("DE", 1, Registry.RIPE),
            new Country("IN", 5.5, Registry.APNIC),
            new Country("CA", -5, Registry.ARIN),
            new Country("FR", 1, Registry.RIPE),
            new Country("BR", -3, Registry.LACNIC),
            new Country("CN", 8, Registry.APNIC),
            new Country("NL", 1, Registry.RIPE),
            new Country("JP", 9, Registry.APNIC),
            new Country("AU", 10, Registry.APNIC),
            new Country("MX", -6, Registry.LACNIC),
            new Country("SG", 8, Registry.APNIC),
            new Country("RU", 3, Registry.RIPE),
            new Country("KR", 9, Registry.APNIC),
            new Country("IT", 1, Registry.RIPE),
            new Country("ES", 1, Registry.RIPE),
            new Country("PL", 1, Registry.RIPE),
            new Country("SE", 1, Registry.RIPE),
            new Country("VN", 7, Registry.APNIC),
            new Country("ID", 7, Registry.APNIC),
            new Country("TR", 3, Registry.RIPE),
            new Country("UA", 2, Registry.RIPE),
            new Country("PH", 8, Registry.APNIC),
            new Country("AR", -3, Registry.LACNIC),
            new Country("ZA", 2, Registry.AFRINIC),
            new Country("NG", 1, Registry.AFRINIC),
            new Country("TH", 7, Registry.APNIC));

    private final List<Country> countries;

    CountryCatalog(String homeCountry) {
        List<Country> list = new ArrayList<>();
        Country home = POOL.stream().filter(c -> c.code().equals(homeCountry)).findFirst()
                // An unknown home country still works: UTC, RIPE space.
                .orElse(new Country(homeCountry, 0, Registry.RIPE));
        list.add(home);
        for (Country c : POOL) {
            if (list.size() == FOREIGN_COUNTRIES + 1) break;
            if (!c.code().equals(homeCountry)) list.add(c);
        }
        countries = List.copyOf(list);
    }

    /** Index 0 is the home country; 1.. are foreign, most common first. */
    List<Country> countries() {
        return countries;
    }

    Country get(int index) {
        return countries.get(index);
    }

    int size() {
        return countries.size();
    }

    static final int HOME = 0;

    /** Zipf-like weights of the foreign countries (index 0 = home has weight 0). */
    double[] foreignWeights() {
        double[] w = new double[countries.size()];
        for (int i = 1; i < w.length; i++) w[i] = 1.0 / i;
        return w;
    }
}
