package io.spikewatch.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.spikewatch.enrichment.CidrSet;
import io.spikewatch.enrichment.MmdbCountryLookup;
import io.spikewatch.generator.AddressPlan.Stream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddressPlanTest {
    @TempDir Path dir;

    /** Special-purpose ranges (RFC 6890 and friends) that a "public-looking" address must avoid. */
    static final CidrSet RESERVED = CidrSet.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
            "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/3", "1.1.1.0/24", "8.8.8.0/24",
            "::/8", "2001:db8::/32", "2002::/16", "fc00::/7", "fe80::/10", "ff00::/8", "2001::/32");

    @Test
    void addressesAreUniquePublicAndCoveredByTheirCountrysNetworks() throws IOException {
        CountryCatalog catalog = new CountryCatalog("US");
        AddressPlan plan = new AddressPlan(catalog.countries());
        Map<String, String> countryOf = new HashMap<>();
        // Enough for the home country to need a second IPv4 block.
        for (int i = 0; i < 70_000; i++) {
            int country = i % 3 == 0 ? 1 + i % 25 : 0;
            boolean v6 = i % 10 == 0;
            Stream stream = i % 7 == 0 ? Stream.INCIDENT : Stream.REGULAR;
            String ip = plan.allocate(country, v6, stream);
            assertThat(countryOf.put(ip, catalog.get(country).code())).as("duplicate " + ip).isNull();
            assertThat(RESERVED.contains(ip)).as(ip).isFalse();
            assertThat(ip.endsWith(".0") || ip.endsWith(".255")).as(ip).isFalse();
        }
        List<String[]> networks = plan.networks();
        Set<String> cidrs = new HashSet<>();
        networks.forEach(n -> assertThat(cidrs.add(n[0])).as("network handed out twice: " + n[0]).isTrue());
        assertThat(networks.stream().filter(n -> n[1].equals("US") && n[0].endsWith("/16")).count())
                .as("home country grew a second block per stream").isGreaterThanOrEqualTo(2);

        Path db = dir.resolve("c.mmdb");
        plan.writeCountryDatabase(db, 0);
        try (MmdbCountryLookup lookup = MmdbCountryLookup.open(db)) {
            countryOf.forEach((ip, country) -> assertThat(lookup.country(ip)).as(ip).isEqualTo(country));
        }
    }

    @Test
    void addressesLookLikeTheirRegistrysSpace() {
        CountryCatalog catalog = new CountryCatalog("DE");
        AddressPlan plan = new AddressPlan(catalog.countries());
        assertThat(plan.allocate(0, true, Stream.REGULAR)).startsWith("2a0");
        int brazil = TrafficModelTest.indexOf(catalog, "BR");
        assertThat(plan.allocate(brazil, true, Stream.REGULAR)).startsWith("280");
        int japan = TrafficModelTest.indexOf(catalog, "JP");
        assertThat(plan.allocate(japan, true, Stream.REGULAR)).startsWith("240");
        int us = TrafficModelTest.indexOf(catalog, "US");
        assertThat(plan.allocate(us, true, Stream.REGULAR)).startsWith("260");
    }

    @Test
    void regularAddressesDoNotDependOnIncidentAllocations() {
        CountryCatalog catalog = new CountryCatalog("US");
        AddressPlan a = new AddressPlan(catalog.countries());
        AddressPlan b = new AddressPlan(catalog.countries());
        for (int i = 0; i < 500; i++) b.allocate(i % 5, i % 2 == 0, Stream.INCIDENT);
        for (int i = 0; i < 2000; i++) {
            assertThat(b.allocate(i % 7, i % 9 == 0, Stream.REGULAR)).isEqualTo(a.allocate(i % 7, i % 9 == 0, Stream.REGULAR));
        }
    }
}
