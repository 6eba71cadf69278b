package io.spikewatch.enrichment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
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
        CountingLookup reference = new CountingLookup();
        // Full size, and tables small enough that almost every IP collides with others.
        for (int slots : new int[] {CachingCountryLookup.DEFAULT_SLOTS, 64, 4, 1}) {
            CachingCountryLookup cache = new CachingCountryLookup(new CountingLookup(), slots);
            for (int round = 0; round < 3; round++) {
                for (String ip : manyIps()) {
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
}
