package io.spikewatch.generator;

import io.spikewatch.enrichment.Cidr;
import io.spikewatch.enrichment.IpText;
import io.spikewatch.enrichment.MmdbCountryLookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.maxmind.db.Metadata;
import com.maxmind.db.Reader;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writes databases with {@link CountryDatabaseWriter} and reads them back with MaxMind's own reader
 * (through {@link MmdbCountryLookup}), checking the first and last address of every network and the
 * addresses just outside it.
 */
class CountryDatabaseWriterTest {
    @TempDir Path dir;

    /** Network, expected country; networks overlap (more specific wins) and touch each other. */
    private static final List<String[]> NETWORKS = List.of(
            new String[] {"0.0.0.0/1", "AA"},
            new String[] {"10.0.0.0/8", "BB"},
            new String[] {"10.1.2.3/32", "CC"},
            new String[] {"192.168.0.0/24", "DD"},
            new String[] {"192.168.1.0/24", "EE"},
            new String[] {"192.168.2.0/23", "DD"},
            new String[] {"255.255.255.255/32", "FF"},
            new String[] {"2001:db8::/32", "GG"},
            new String[] {"2001:db8:1::/48", "HH"},
            new String[] {"2001:db8:1::1/128", "II"},
            new String[] {"8000::/1", "JJ"},
            new String[] {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "KK"});

    @ParameterizedTest(name = "record size {0}")
    @ValueSource(ints = {0, 24, 28, 32})
    void everyNetworkResolvesAtItsEdgesAndNotOutside(int recordSize) throws IOException {
        CountryDatabaseWriter w = new CountryDatabaseWriter().recordSize(recordSize).buildEpoch(1_700_000_000L);
        // Deliberately not sorted by prefix: the writer must apply longest-prefix-wins itself.
        for (int i = NETWORKS.size() - 1; i >= 0; i--) w.addCountry(NETWORKS.get(i)[0], NETWORKS.get(i)[1]);
        Path file = dir.resolve("t.mmdb");
        w.write(file);

        Map<String, String> expected = new LinkedHashMap<>();
        // IPv4
        expected.put("0.0.0.0", "AA");
        expected.put("9.255.255.255", "AA");
        expected.put("10.0.0.0", "BB");
        expected.put("10.1.2.2", "BB");
        expected.put("10.1.2.3", "CC");
        expected.put("10.1.2.4", "BB");
        expected.put("10.255.255.255", "BB");
        expected.put("11.0.0.0", "AA");
        expected.put("127.255.255.255", "AA");
        expected.put("128.0.0.0", null);
        expected.put("192.167.255.255", null);
        expected.put("192.168.0.0", "DD");
        expected.put("192.168.0.255", "DD");
        expected.put("192.168.1.0", "EE");
        expected.put("192.168.1.255", "EE");
        expected.put("192.168.2.0", "DD");
        expected.put("192.168.3.255", "DD");
        expected.put("192.168.4.0", null);
        expected.put("255.255.255.254", null);
        expected.put("255.255.255.255", "FF");
        expected.put("::ffff:10.1.2.3", "CC");
        // IPv6
        // "::" is ::0.0.0.0, inside the ::/96 subtree where IPv4 lives (MaxMind semantics).
        expected.put("::", "AA");
        expected.put("::1:0:0:0", null);
        expected.put("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", null);
        expected.put("2001:db8::", "GG");
        expected.put("2001:db8:0:ffff:ffff:ffff:ffff:ffff", "GG");
        expected.put("2001:db8:1::", "HH");
        expected.put("2001:db8:1::1", "II");
        expected.put("2001:db8:1::2", "HH");
        expected.put("2001:db8:1:ffff:ffff:ffff:ffff:ffff", "HH");
        expected.put("2001:db8:2::", "GG");
        expected.put("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "GG");
        expected.put("2001:db9::", null);
        expected.put("7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", null);
        expected.put("8000::", "JJ");
        expected.put("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", "JJ");
        expected.put("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "KK");
        // Not addresses at all.
        expected.put("", null);
        expected.put("10.1.2", null);
        expected.put("example.com", null);

        try (MmdbCountryLookup lookup = MmdbCountryLookup.open(file)) {
            Map<String, String> actual = new LinkedHashMap<>();
            for (String ip : expected.keySet()) actual.put(ip, lookup.country(ip));
            assertThat(actual).containsExactlyEntriesOf(expected);
            assertThat(lookup.country(null)).isNull();
            assertThat(lookup.databaseType()).isEqualTo("spikewatch-synthetic-country");
        }
        try (Reader reader = new Reader(file.toFile())) {
            Metadata m = reader.getMetadata();
            assertThat(m.getBinaryFormatMajorVersion()).isEqualTo(2);
            assertThat(m.getBinaryFormatMinorVersion()).isZero();
            assertThat(m.getIpVersion()).isEqualTo(6);
            assertThat(m.getLanguages()).containsExactly("en");
            assertThat(m.getDescription()).containsKey("en");
            assertThat(m.getBuildDate().getTime()).isEqualTo(1_700_000_000_000L);
            // The public API does not expose the record size; the file size tells it.
            int nodeBytes = recordSize == 0 ? 6 : recordSize / 4;
            assertThat(Files.size(file)).isGreaterThan((long) nodeBytes * 130);
        }
    }

    @Test
    void firstAndLastAddressOfEveryNetworkViaArithmetic() throws IOException {
        // Independent of the hand-written table above: compute each network's bounds with BigInteger.
        CountryDatabaseWriter w = new CountryDatabaseWriter().buildEpoch(0);
        List<String[]> disjoint = List.of(
                new String[] {"23.4.0.0/16", "US"}, new String[] {"23.5.0.0/16", "CA"},
                new String[] {"31.7.128.0/17", "DE"}, new String[] {"2a02:1234::/32", "FR"},
                new String[] {"2a02:1236::/31", "NL"}, new String[] {"2a02:1238:8000::/33", "SE"});
        disjoint.forEach(n -> w.addCountry(n[0], n[1]));
        Path file = dir.resolve("d.mmdb");
        w.write(file);
        try (MmdbCountryLookup lookup = MmdbCountryLookup.open(file)) {
            for (String[] n : disjoint) {
                Cidr c = Cidr.parse(n[0]);
                int bits = c.isIpv4() ? 32 : 128;
                BigInteger first = new BigInteger(1, c.address());
                BigInteger last = first.add(BigInteger.ONE.shiftLeft(bits - c.prefixLength())).subtract(BigInteger.ONE);
                assertThat(lookup.country(text(first, bits))).as(n[0] + " first").isEqualTo(n[1]);
                assertThat(lookup.country(text(last, bits))).as(n[0] + " last").isEqualTo(n[1]);
            }
            assertThat(lookup.country("23.3.255.255")).isNull();
            assertThat(lookup.country("23.6.0.0")).isNull();
            assertThat(lookup.country("31.7.127.255")).isNull();
            assertThat(lookup.country("31.8.0.0")).isNull();
            assertThat(lookup.country("2a02:1233:ffff:ffff:ffff:ffff:ffff:ffff")).isNull();
            assertThat(lookup.country("2a02:1235::")).isNull();
            assertThat(lookup.country("2a02:1238:7fff:ffff:ffff:ffff:ffff:ffff")).isNull();
            assertThat(lookup.country("2a02:1239::")).isNull();
        }
    }

    @Test
    void defaultRouteCoversIpv4AndIpv6AndLosesToMoreSpecificNetworks() throws IOException {
        Path file = dir.resolve("z.mmdb");
        new CountryDatabaseWriter().addCountry("::/0", "ZZ").addCountry("1.2.3.0/24", "US").write(file);
        try (MmdbCountryLookup lookup = MmdbCountryLookup.open(file)) {
            assertThat(lookup.country("1.2.3.4")).isEqualTo("US");
            assertThat(lookup.country("1.2.4.0")).isEqualTo("ZZ");
            assertThat(lookup.country("8.8.8.8")).isEqualTo("ZZ");
            assertThat(lookup.country("2001:db8::1")).isEqualTo("ZZ");
        }
    }

    @Test
    void laterDuplicateNetworkWins() throws IOException {
        Path file = dir.resolve("dup.mmdb");
        new CountryDatabaseWriter().addCountry("5.6.0.0/16", "AA").addCountry("5.6.0.0/16", "BB").write(file);
        try (MmdbCountryLookup lookup = MmdbCountryLookup.open(file)) {
            assertThat(lookup.country("5.6.7.8")).isEqualTo("BB");
        }
    }

    @Test
    void readsTheGeoIp2CountryLayoutPreferringCountryOverRegisteredCountry() throws IOException {
        Path file = dir.resolve("geolite.mmdb");
        new CountryDatabaseWriter()
                .databaseType("GeoLite2-Country")
                .add("81.2.69.0/24", Map.of(
                        "continent", Map.of("code", "EU", "geoname_id", 6255148L),
                        "country", Map.of("iso_code", "GB", "geoname_id", 2635167L,
                                "names", Map.of("en", "United Kingdom", "de", "Vereinigtes Königreich")),
                        "registered_country", Map.of("iso_code", "DE", "is_in_european_union", true)))
                .add("81.2.70.0/24", Map.of("registered_country", Map.of("iso_code", "US", "geoname_id", 6252001L)))
                .add("81.2.71.0/24", Map.of("country", Map.of("iso_code", "fr")))
                .add("81.2.72.0/24", Map.of("continent", Map.of("code", "AS")))
                .add("81.2.73.0/24", Map.of("country_code", "U5"))
                .add("81.2.74.0/24", Map.of("location", Map.of("latitude", 51.5, "longitude", -0.13), "traits",
                        List.of(1, 70_000, 5_000_000_000L, -3)))
                .write(file);
        try (MmdbCountryLookup lookup = MmdbCountryLookup.open(file)) {
            assertThat(lookup.databaseType()).isEqualTo("GeoLite2-Country");
            assertThat(lookup.country("81.2.69.160")).isEqualTo("GB");
            assertThat(lookup.country("81.2.70.1")).isEqualTo("US");
            assertThat(lookup.country("81.2.71.1")).isEqualTo("FR");
            assertThat(lookup.country("81.2.72.1")).isNull();
            assertThat(lookup.country("81.2.73.1")).as("not a country code").isNull();
            assertThat(lookup.country("81.2.74.1")).isNull();
        }
        // The generic values decode to what was written.
        try (Reader reader = new Reader(file.toFile())) {
            @SuppressWarnings("unchecked")
            Map<String, Object> r = reader.get(java.net.InetAddress.getByName("81.2.74.1"), Map.class);
            assertThat(r).containsKeys("location", "traits");
            assertThat((List<?>) r.get("traits")).hasSize(4);
            assertThat(((List<?>) r.get("traits")).get(3)).isEqualTo(-3);
            assertThat(((Map<?, ?>) r.get("location")).get("latitude")).isEqualTo(51.5);
        }
    }

    @Test
    void sameEntriesGiveSameBytes() {
        byte[] a = new CountryDatabaseWriter().buildEpoch(42)
                .addCountry("10.0.0.0/8", "US").add("2001:db8::/32", Map.of("a", "1", "b", "2", "c", "3")).toBytes();
        byte[] b = new CountryDatabaseWriter().buildEpoch(42)
                .addCountry("10.0.0.0/8", "US").add("2001:db8::/32", Map.of("c", "3", "b", "2", "a", "1")).toBytes();
        assertThat(a).isEqualTo(b);
    }

    @Test
    void longStringsUseTheExtendedSizeEncodings() throws IOException {
        // 28, 29, 284, 285 and 65,821 bytes sit on the boundaries of the size encoding.
        Path file = dir.resolve("long.mmdb");
        int[] lengths = {28, 29, 284, 285, 65_820, 65_821, 70_000};
        CountryDatabaseWriter w = new CountryDatabaseWriter();
        for (int i = 0; i < lengths.length; i++) w.add("10." + i + ".0.0/16", Map.of("s", "x".repeat(lengths[i])));
        w.write(file);
        try (Reader reader = new Reader(file.toFile())) {
            for (int i = 0; i < lengths.length; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> r = reader.get(java.net.InetAddress.getByName("10." + i + ".1.1"), Map.class);
                assertThat((String) r.get("s")).hasSize(lengths[i]);
            }
        }
    }

    @Test
    void pointersBeyondTwentyFourBitsUseTheNibblesOf28BitRecords() throws IOException {
        // 273 distinct 64 KiB records push data pointers past 2^24, so the high nibbles are used. The
        // last network has no sibling: its node pairs a large data pointer with "no data", so the two
        // nibbles of that node differ and a swap would show.
        CountryDatabaseWriter w = new CountryDatabaseWriter();
        int n = 273;
        for (int i = 0; i < n; i++) {
            w.add("10." + i / 256 + "." + i % 256 + ".0/24", Map.of("country_code", "AA", "pad",
                    String.valueOf((char) ('a' + i % 26)).repeat(65_536) + i));
        }
        assertThatThrownBy(() -> new CountryDatabaseWriter().recordSize(24)
                .add("10.0.0.0/24", Map.of("pad", "x".repeat(17_000_000))).toBytes())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("record size 24");
        Path file = dir.resolve("big.mmdb");
        w.write(file);
        try (Reader reader = new Reader(file.toFile())) {
            assertThat(reader.get(java.net.InetAddress.getByName("10.1.17.9"), Map.class)).isNull();
            for (int i : new int[] {0, 1, 255, 256, n - 2, n - 1}) {
                @SuppressWarnings("unchecked")
                Map<String, Object> r = reader.get(
                        java.net.InetAddress.getByName("10." + i / 256 + "." + i % 256 + ".9"), Map.class);
                assertThat((String) r.get("pad")).as("network %d", i).endsWith(String.valueOf(i)).hasSize(65_536
                        + String.valueOf(i).length());
            }
        }
        assertThat(Files.size(file)).as("data section beyond 2^24 bytes").isGreaterThan(1L << 24);
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> new CountryDatabaseWriter().addCountry("10.0.0.0/8", "us"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10.0.0.0/8");
        assertThatThrownBy(() -> new CountryDatabaseWriter().addCountry("10.0.0.0/88", "US"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10.0.0.0/88");
        assertThatThrownBy(() -> new CountryDatabaseWriter().add("10.0.0.0/8", Map.of("x", new Object())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CountryDatabaseWriter().recordSize(20)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String text(BigInteger value, int bits) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[bits / 8];
        int n = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - n, out, out.length - n, n);
        return IpText.format(out);
    }
}
