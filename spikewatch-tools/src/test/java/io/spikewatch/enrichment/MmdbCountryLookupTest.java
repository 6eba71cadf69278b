package io.spikewatch.enrichment;

import io.spikewatch.generator.CountryDatabaseWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spikewatch.records.CountryCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening errors must name the file; the layouts themselves are covered by {@link CountryDatabaseWriterTest}. */
class MmdbCountryLookupTest {
    @TempDir Path dir;

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("nope.mmdb");
        assertThatThrownBy(() -> MmdbCountryLookup.open(file))
                .isInstanceOf(IOException.class).hasMessageContaining(file.toString()).hasMessageContaining("does not exist");
    }

    @Test
    void directoryIsNotAFile() {
        assertThatThrownBy(() -> MmdbCountryLookup.open(dir))
                .isInstanceOf(IOException.class).hasMessageContaining(dir.toString()).hasMessageContaining("not a readable file");
    }

    @Test
    void otherFilesAreRejectedWithTheFileName() throws IOException {
        Path garbage = Files.writeString(dir.resolve("country.csv"), "1.0.0.0,1.0.0.255,AU\n".repeat(50));
        assertThatThrownBy(() -> MmdbCountryLookup.open(garbage))
                .isInstanceOf(IOException.class).hasMessageContaining(garbage.toString()).hasMessageContaining("not a valid MaxMind DB");
        Path empty = Files.write(dir.resolve("empty.mmdb"), new byte[0]);
        assertThatThrownBy(() -> MmdbCountryLookup.open(empty))
                .isInstanceOf(IOException.class).hasMessageContaining(empty.toString());
    }

    @Test
    void databasesOfAnotherShapeAreRejectedAtOpen() throws IOException {
        Path asn = dir.resolve("asn.mmdb");
        new CountryDatabaseWriter().databaseType("GeoLite2-ASN")
                .add("1.0.0.0/24", java.util.Map.of("country_code", java.util.Map.of("x", "y"))).write(asn);
        assertThatThrownBy(() -> MmdbCountryLookup.open(asn))
                .isInstanceOf(IOException.class).hasMessageContaining(asn.toString()).hasMessageContaining("cannot decode");
        // A database without networks opens (and knows nothing).
        Path empty = dir.resolve("nothing.mmdb");
        new CountryDatabaseWriter().write(empty);
        try (MmdbCountryLookup lookup = MmdbCountryLookup.open(empty)) {
            assertThat(lookup.country("1.2.3.4")).isNull();
        }
    }

    @Test
    void ipv4MappedAndIpv6ClientsResolve() throws IOException {
        Path file = dir.resolve("c.mmdb");
        new CountryDatabaseWriter().addCountry("203.0.113.0/24", "NZ").addCountry("2001:db8:abcd::/48", "JP").write(file);
        try (MmdbCountryLookup lookup = MmdbCountryLookup.open(file)) {
            assertThat(lookup.country("203.0.113.9")).isEqualTo("NZ").isSameAs(CountryCodes.of('N', 'Z'));
            assertThat(lookup.countryOfIpv4(0xCB007109, "203.0.113.9").country()).isSameAs(CountryCodes.of('N', 'Z'));
            assertThat(lookup.country("::ffff:203.0.113.9")).isEqualTo("NZ");
            assertThat(lookup.country("::FFFF:CB00:7109")).isEqualTo("NZ");
            assertThat(lookup.country("2001:DB8:ABCD:0::42")).isEqualTo("JP");
            assertThat(lookup.country("fe80::1%eth0")).isNull();
            assertThat(lookup.file()).isEqualTo(file);
        }
    }

    @Test
    void ipv4AnswersCarryThePrefixOfTheirNetwork() throws IOException {
        Path file = dir.resolve("nets.mmdb");
        // A /8 with a /25 of another country inside it: the tree splits the /8 down to the /25.
        new CountryDatabaseWriter().addCountry("10.0.0.0/8", "US").addCountry("10.1.2.128/25", "KR")
                .addCountry("2001:db8::/32", "DE").write(file);
        try (MmdbCountryLookup lookup = MmdbCountryLookup.open(file)) {
            // 10.9 leaves the path to 10.1.2.128 at its 13th bit (second octet 00001001 vs 00000001),
            // counted in IPv4 bits although the database is IPv6.
            assertThat(lookup.countryOfIpv4(ipv4("10.9.9.9"), "10.9.9.9")).isEqualTo(new CountryLookup.Ipv4Answer("US", 13));
            assertThat(lookup.countryOfIpv4(ipv4("10.1.2.200"), "10.1.2.200")).isEqualTo(new CountryLookup.Ipv4Answer("KR", 25));
            assertThat(lookup.countryOfIpv4(ipv4("10.1.2.5"), "10.1.2.5")).isEqualTo(new CountryLookup.Ipv4Answer("US", 25));
            CountryLookup.Ipv4Answer none = lookup.countryOfIpv4(ipv4("192.0.2.1"), "192.0.2.1");
            assertThat(none.country()).isNull();
            assertThat(none.prefixLength()).isBetween(1, 8);
            // The same answers as the text lookup, for every address of the split /24 and around it.
            for (int a = ipv4("10.1.1.0"); a < ipv4("10.1.4.0"); a++) {
                String text = IpText.format(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
                assertThat(lookup.countryOfIpv4(a, text).country()).as(text).isEqualTo(lookup.country(text));
            }
        }
    }

    private static int ipv4(String text) {
        return (int) IpLiteral.ipv4Bits(text);
    }
}
