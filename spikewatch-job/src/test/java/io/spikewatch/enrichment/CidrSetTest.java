package io.spikewatch.enrichment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrSetTest {

    @Test
    void ipv4NetworkEdges() {
        CidrSet set = CidrSet.of("10.0.0.0/8", "192.0.2.1");
        assertThat(set.contains("10.0.0.0")).isTrue();
        assertThat(set.contains("10.255.255.255")).isTrue();
        assertThat(set.contains("9.255.255.255")).isFalse();
        assertThat(set.contains("11.0.0.0")).isFalse();
        assertThat(set.contains("192.0.2.1")).as("bare address = /32").isTrue();
        assertThat(set.contains("192.0.2.0")).isFalse();
        assertThat(set.contains("192.0.2.2")).isFalse();
    }

    @Test
    void ipv6NetworkEdges() {
        CidrSet set = CidrSet.of("2001:db8::/32", "2001:DB8:FFFF::1", "fe80::1");
        assertThat(set.contains("2001:db8::")).isTrue();
        assertThat(set.contains("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")).isTrue();
        assertThat(set.contains("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff")).isFalse();
        assertThat(set.contains("2001:db9::")).isFalse();
        assertThat(set.contains("fe80::1")).isTrue();
        assertThat(set.contains("fe80::2")).isFalse();
    }

    @Test
    void wholeFamiliesAndTheirBoundaries() {
        CidrSet v4 = CidrSet.of("0.0.0.0/0");
        assertThat(v4.contains("0.0.0.0")).isTrue();
        assertThat(v4.contains("255.255.255.255")).isTrue();
        assertThat(v4.contains("::1")).isFalse();
        CidrSet v6 = CidrSet.of("::/0");
        assertThat(v6.contains("::")).isTrue();
        assertThat(v6.contains("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).isTrue();
        assertThat(v6.contains("1.2.3.4")).isFalse();
        CidrSet top = CidrSet.of("255.255.255.255/32", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "8000::/1");
        assertThat(top.contains("255.255.255.255")).isTrue();
        assertThat(top.contains("255.255.255.254")).isFalse();
        assertThat(top.contains("8000::")).isTrue();
        assertThat(top.contains("7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).isFalse();
    }

    @Test
    void ipv4MappedClientsMatchIpv4NetworksAndMappedNetworksAreIpv4() {
        CidrSet set = CidrSet.of("10.0.0.0/8", "::ffff:192.168.0.0/112");
        assertThat(set.contains("::ffff:10.1.2.3")).isTrue();
        assertThat(set.contains("::ffff:11.1.2.3")).isFalse();
        assertThat(set.contains("192.168.200.1")).isTrue();
        assertThat(set.contains("::ffff:c0a8:0101")).isTrue();
        assertThat(set.contains("192.169.0.0")).isFalse();
    }

    @Test
    void overlappingAndAdjacentNetworksMerge() {
        CidrSet set = CidrSet.of("10.0.0.0/9", "10.128.0.0/9", "10.1.0.0/16", "10.0.0.0/8",
                "2001:db8::/48", "2001:db8::/32", "2001:db8:1::/48");
        assertThat(set.contains("10.200.0.0")).isTrue();
        assertThat(set.contains("10.127.255.255")).isTrue();
        assertThat(set.contains("11.0.0.0")).isFalse();
        assertThat(set.contains("2001:db8:ffff::1")).isTrue();
        assertThat(set.contains("2001:db9::")).isFalse();
    }

    @Test
    void nonAddressesAreNotContained() {
        CidrSet set = CidrSet.of("0.0.0.0/0", "::/0");
        assertThat(set.contains((String) null)).isFalse();
        assertThat(set.contains("")).isFalse();
        assertThat(set.contains("localhost")).isFalse();
        assertThat(set.contains("10.0.0.1:443")).isFalse();
        assertThat(set.contains("1.2.3.4 ")).isFalse();
        assertThat(CidrSet.empty().contains("1.2.3.4")).isFalse();
        assertThat(CidrSet.empty().isEmpty()).isTrue();
        assertThat(set.isEmpty()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0.1/8", "abc", "", " ", "10.0.0.0/", "10.0.0.0/-1",
        "2001:db8::/129", "10.0.0.0/8/9", "2001:db8::1/32", "10.0.0.0/x", "10.0.0.256", "::ffff:10.0.0.1/100"})
    void invalidEntriesAreRejectedByName(String bad) {
        assertThatThrownBy(() -> CidrSet.of("192.0.2.0/24", bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + bad + "'");
    }

    @Test
    void hostBitsSuggestTheNetwork() {
        assertThatThrownBy(() -> CidrSet.of("192.168.1.0/2"))
                .hasMessageContaining("did you mean 192.0.0.0/2");
    }

    @Test
    void agreesWithANaiveCheckOnRandomProbes() {
        SplittableRandom rnd = new SplittableRandom(7);
        List<String> cidrs = new ArrayList<>();
        List<BigInteger[]> ranges = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            boolean v4 = i % 2 == 0;
            int bits = v4 ? 32 : 128;
            int prefix = v4 ? 8 + rnd.nextInt(25) : 16 + rnd.nextInt(113);
            // Few distinct high bits so networks nest and touch.
            BigInteger addr = new BigInteger(bits, new java.util.Random(rnd.nextLong()));
            if (!v4) addr = addr.clearBit(127).clearBit(126).setBit(125);
            else addr = addr.clearBit(31).setBit(30).clearBit(29).clearBit(28);
            BigInteger size = BigInteger.ONE.shiftLeft(bits - prefix);
            BigInteger start = addr.shiftRight(bits - prefix).shiftLeft(bits - prefix);
            cidrs.add(IpText.format(bytes(start, bits)) + "/" + prefix);
            ranges.add(new BigInteger[] {BigInteger.valueOf(bits), start, start.add(size).subtract(BigInteger.ONE)});
        }
        CidrSet set = CidrSet.of(cidrs);
        int hits = 0;
        for (int probe = 0; probe < 4000; probe++) {
            BigInteger[] r = ranges.get(rnd.nextInt(ranges.size()));
            int bits = r[0].intValue();
            BigInteger ip = switch (rnd.nextInt(4)) {
                case 0 -> r[1];
                case 1 -> r[2];
                case 2 -> r[1].subtract(BigInteger.ONE).max(BigInteger.ZERO);
                default -> r[2].add(BigInteger.ONE).min(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
            };
            boolean expected = ranges.stream().anyMatch(x -> x[0].intValue() == bits
                    && x[1].compareTo(ip) <= 0 && ip.compareTo(x[2]) <= 0);
            String text = IpText.format(bytes(ip, bits));
            assertThat(set.contains(text)).as(text).isEqualTo(expected);
            if (expected) hits++;
        }
        assertThat(hits).isBetween(1000, 3900);
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        CidrSet set = CidrSet.of("10.0.0.0/8", "2001:db8::/32");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(set);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            CidrSet copy = (CidrSet) in.readObject();
            assertThat(copy.contains("10.9.9.9")).isTrue();
            assertThat(copy.contains("2001:db8::9")).isTrue();
            assertThat(copy.entries()).containsExactly("10.0.0.0/8", "2001:db8::/32");
        }
    }

    private static byte[] bytes(BigInteger v, int bits) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[bits / 8];
        int n = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - n, out, out.length - n, n);
        return out;
    }
}
