package io.spikewatch.enrichment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The cache must give exactly the delegate's answers (countries and nulls, through collisions and
 * evictions) and must not ask the delegate again for an IP it still holds.
 */
class CachingCountryLookupTest {

    /**
     * A country per first IPv4 octet (198 is JP, 203 is NZ, other even octets US, odd octets unknown),
     * IPv6 in 2001:db8::/32 is DE; counts how often it is asked.
     */
    private static final class CountingLookup implements CountryLookup {
        int calls;

        @Override
        public String country(String ip) {
            calls++;
            if (ip == null) return null;
            if (ip.startsWith("2001:db8:")) return "DE";
            if (ip.indexOf(':') >= 0) return null;
            int octet = Integer.parseInt(ip.substring(0, ip.indexOf('.')));
            if (octet == 198) return "JP";
            if (octet == 203) return "NZ";
            return octet % 2 == 0 ? "US" : null;
        }
    }

    private static List<String> manyIps() {
        List<String> ips = new ArrayList<>();
        for (int a = 190; a < 210; a++) {
            for (int d = 0; d < 50; d++) ips.add(a + ".51.100." + d);
        }
        for (int i = 0; i < 200; i++) ips.add("2001:db8::" + Integer.toHexString(i));
        for (int i = 0; i < 50; i++) ips.add("fe80::" + Integer.toHexString(i));
        return ips;
    }

    @Test
    void answersLikeTheDelegateThroughCollisionsAndEvictions() {
        assertAnswersLikeTheDelegate(CountingLookup::new, manyIps());
    }

    /**
     * A cache over a fresh {@code delegate} gives the delegate's answer for every IP, three rounds
     * over the list, at full size and with tables small enough that almost every IP collides.
     */
    private static void assertAnswersLikeTheDelegate(Supplier<CountryLookup> delegate, List<String> ips) {
        CountryLookup reference = delegate.get();
        for (int slots : new int[] {CachingCountryLookup.DEFAULT_SLOTS, 64, 4, 1}) {
            CachingCountryLookup cache = new CachingCountryLookup(delegate.get(), slots);
            for (int round = 0; round < 3; round++) {
                for (String ip : ips) {
                    assertThat(cache.country(ip)).as("%s with %d slots", ip, slots).isEqualTo(reference.country(ip));
                }
            }
        }
    }

    @Test
    void aRepeatedIpIsAnsweredFromTheCache() {
        CountingLookup delegate = new CountingLookup();
        CachingCountryLookup cache = new CachingCountryLookup(delegate);
        assertThat(cache.country("198.51.100.7")).isEqualTo("JP");
        assertThat(cache.country("198.51.100.7")).isEqualTo("JP");
        // Equal text in another String object is the same key.
        assertThat(cache.country(new String("198.51.100.7"))).isEqualTo("JP");
        assertThat(delegate.calls).isEqualTo(1);

        assertThat(cache.country("203.0.113.9")).isEqualTo("NZ");
        assertThat(cache.country("198.51.100.7")).isEqualTo("JP");
        assertThat(delegate.calls).isEqualTo(2);
    }

    @Test
    void unknownAddressesAreCachedAsNull() {
        CountingLookup delegate = new CountingLookup();
        CachingCountryLookup cache = new CachingCountryLookup(delegate);
        assertThat(cache.country("199.51.100.7")).isNull();
        assertThat(cache.country("199.51.100.7")).isNull();
        assertThat(cache.country("fe80::1")).isNull();
        assertThat(cache.country("fe80::1")).isNull();
        assertThat(delegate.calls).isEqualTo(2);
    }

    @Test
    void ipsWithTheSameHashCodeDoNotShareAnAnswer() {
        // "1a" and "2B" have the same String.hashCode (31 * '1' + 'a' == 31 * '2' + 'B'), so these
        // two addresses land in the same slot of any table size.
        String a = "2001:db8::1a";
        String b = "2001:db8::2B";
        assertThat(a.hashCode()).isEqualTo(b.hashCode());
        String other = "2001:dc8::1a";
        String otherTwin = "2001:dc8::2B";
        assertThat(other.hashCode()).isEqualTo(otherTwin.hashCode());

        CountingLookup delegate = new CountingLookup();
        CachingCountryLookup cache = new CachingCountryLookup(delegate);
        assertThat(cache.country(a)).isEqualTo("DE");
        assertThat(cache.country(other)).isNull();
        assertThat(cache.country(otherTwin)).isNull();
        assertThat(cache.country(b)).isEqualTo("DE");
        assertThat(cache.country(a)).isEqualTo("DE");
        // Each lookup evicted its twin, so every one went to the delegate.
        assertThat(delegate.calls).isEqualTo(5);
    }

    @Test
    void nullIpGoesToTheDelegate() {
        CountingLookup delegate = new CountingLookup();
        CachingCountryLookup cache = new CachingCountryLookup(delegate);
        assertThat(cache.country(null)).isNull();
        assertThat(delegate.calls).isEqualTo(1);
    }

    @Test
    void slotCountMustBeAPowerOfTwo() {
        assertThatThrownBy(() -> new CachingCountryLookup(new CountingLookup(), 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two");
        assertThatThrownBy(() -> new CachingCountryLookup(new CountingLookup(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Knows its networks, as the MaxMind reader does: 198.51.0.0/16 is JP except 198.51.100.128/25
     * (KR); 203.0.113.0/24 is NZ; 192.0.2.0/24 is in no network; anything else IPv4 is US with
     * prefix 32 (answers for one address only).
     */
    private static final class NetworkLookup implements CountryLookup {
        int calls;

        @Override
        public String country(String ip) {
            long v4 = IpLiteral.ipv4Bits(ip);
            return v4 < 0 ? null : countryOfIpv4((int) v4, ip).country();
        }

        @Override
        public Ipv4Answer countryOfIpv4(int address, String text) {
            calls++;
            if ((address >>> 16) == (198 << 8 | 51)) {
                if ((address >>> 8) == (198 << 16 | 51 << 8 | 100)) {
                    return (address & 0x80) != 0 ? new Ipv4Answer("KR", 25) : new Ipv4Answer("JP", 25);
                }
                return new Ipv4Answer("JP", 16);
            }
            if ((address >>> 8) == (203 << 16 | 113)) return new Ipv4Answer("NZ", 24);
            if ((address >>> 8) == (192 << 16 | 2)) return new Ipv4Answer(null, 24);
            return new Ipv4Answer("US", 32);
        }
    }

    private static List<String> networkIps() {
        List<String> ips = new ArrayList<>();
        for (int c : new int[] {99, 100, 101}) {
            for (int d = 0; d < 256; d++) ips.add("198.51." + c + "." + d);
        }
        for (int d = 0; d < 256; d++) {
            ips.add("203.0.113." + d);
            ips.add("192.0.2." + d);
        }
        for (int d = 0; d < 20; d++) ips.add("8.8.8." + d);
        ips.add("2001:db8::1");
        ips.add("::ffff:203.0.113.9");
        ips.add("010.1.2.3");
        return ips;
    }

    @Test
    void ipv4AnswersAreKeptPerBlockWhenTheirNetworkCoversIt() {
        assertAnswersLikeTheDelegate(NetworkLookup::new, networkIps());

        NetworkLookup delegate = new NetworkLookup();
        CachingCountryLookup cache = new CachingCountryLookup(delegate);
        for (int d = 0; d < 256; d++) assertThat(cache.country("203.0.113." + d)).isEqualTo("NZ");
        for (int d = 0; d < 256; d++) assertThat(cache.country("192.0.2." + d)).isNull();
        for (int d = 0; d < 256; d++) assertThat(cache.country("198.51.7." + d)).isEqualTo("JP");
        // One question per covered /24.
        assertThat(delegate.calls).isEqualTo(3);

        // A /24 the database splits is cached per address: 256 questions, then none.
        for (int round = 0; round < 2; round++) {
            for (int d = 0; d < 256; d++) {
                assertThat(cache.country("198.51.100." + d)).isEqualTo(d >= 128 ? "KR" : "JP");
            }
        }
        assertThat(delegate.calls).isEqualTo(3 + 256);
    }
}
