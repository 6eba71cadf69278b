package io.spikewatch.generator;

import io.spikewatch.generator.CountryDatabaseWriter;
import io.spikewatch.enrichment.IpText;
import io.spikewatch.generator.CountryCatalog.Country;
import io.spikewatch.generator.CountryCatalog.Registry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Hands out unique, public-looking client addresses per country and remembers the blocks they came
 * from, so that the country database written at the end covers every address that was used.
 *
 * <p>IPv4 comes in /16 blocks, IPv6 in one /32 per country, both taken from address space of the
 * country's registry (IPv4 first octets that registry really administers; IPv6 from its /12, e.g.
 * 2a00::/12 for RIPE). No reserved, private or documentation range is used. Within a block, hosts
 * follow a fixed permutation so that neighbours look unrelated, skipping .0 and .255.
 *
 * <p>Two independent streams: {@link Stream#REGULAR} (clients, bots, background noise) and
 * {@link Stream#INCIDENT}. They use disjoint blocks and separate counters, so the background traffic
 * of a seed is the same in every scenario — the addresses an incident takes do not shift anyone else's.
 */
final class AddressPlan {
    enum Stream { REGULAR, INCIDENT }

    private static final Map<Registry, int[]> FIRST_OCTETS = new EnumMap<>(Map.of(
            Registry.ARIN, new int[] {23, 24, 50, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 96, 97, 98,
                99, 104, 107, 108, 173, 174, 184, 199, 204, 205, 206, 207, 208, 209, 216},
            Registry.RIPE, new int[] {2, 5, 31, 37, 46, 62, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90,
                91, 92, 93, 94, 95, 109, 176, 178, 185, 188, 193, 194, 195, 212, 213, 217},
            Registry.APNIC, new int[] {14, 27, 36, 39, 42, 49, 58, 59, 60, 61, 101, 106, 110, 111, 112, 113, 114,
                115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 175, 180, 182, 183, 210, 211, 218, 219, 220,
                221, 222, 223},
            Registry.LACNIC, new int[] {177, 179, 181, 186, 187, 189, 190, 191, 200, 201},
            Registry.AFRINIC, new int[] {41, 102, 105, 154, 196, 197}));

    /** The /12 of each registry, as the top 32 bits of an IPv6 address. */
    private static final Map<Registry, Integer> V6_BASE = new EnumMap<>(Map.of(
            Registry.ARIN, 0x2600_0000, Registry.RIPE, 0x2a00_0000, Registry.APNIC, 0x2400_0000,
            Registry.LACNIC, 0x2800_0000, Registry.AFRINIC, 0x2c00_0000));

    private final List<Country> countries;
    private final int[][] v4Counter = new int[2][];
    private final long[][] v6Counter = new long[2][];
    /** Blocks per stream and country, in allocation order: {@code o1 << 8 | o2}. */
    private final List<List<List<Integer>>> v4Blocks = new ArrayList<>();
    private final int[][] v6Prefix = new int[2][];
    private final Map<Registry, int[]> blocksPerRegistry = new EnumMap<>(Registry.class);
    private final List<String[]> networks = new ArrayList<>();

    AddressPlan(List<Country> countries) {
        this.countries = countries;
        for (int s = 0; s < 2; s++) {
            v4Counter[s] = new int[countries.size()];
            v6Counter[s] = new long[countries.size()];
            v6Prefix[s] = new int[countries.size()];
            List<List<Integer>> perCountry = new ArrayList<>();
            for (int c = 0; c < countries.size(); c++) perCountry.add(new ArrayList<>());
            v4Blocks.add(perCountry);
        }
        for (Registry r : Registry.values()) blocksPerRegistry.put(r, new int[2]);
    }

    /** A new address of {@code country}, never handed out before. */
    String allocate(int country, boolean ipv6, Stream stream) {
        int s = stream.ordinal();
        return ipv6 ? allocateV6(country, s) : allocateV4(country, s);
    }

    private String allocateV4(int country, int s) {
        while (true) {
            int position = v4Counter[s][country]++;
            int blockIndex = position >>> 16;
            List<Integer> blocks = v4Blocks.get(s).get(country);
            if (blockIndex == blocks.size()) blocks.add(newV4Block(country, s));
            // A fixed permutation of the 65,536 hosts (multiplying by an odd number is a bijection).
            int host = ((position & 0xFFFF) * 40503 + 0x3A5F) & 0xFFFF;
            int last = host & 0xFF;
            if (last == 0 || last == 255) continue;
            int block = blocks.get(blockIndex);
            return (block >>> 8) + "." + (block & 0xFF) + "." + (host >>> 8) + "." + last;
        }
    }

    private int newV4Block(int country, int s) {
        Registry r = countries.get(country).registry();
        int[] octets = FIRST_OCTETS.get(r);
        // Even block numbers for the regular stream, odd ones for incidents: disjoint, independent.
        int j = 2 * blocksPerRegistry.get(r)[s]++ + s;
        int o1 = octets[j % octets.length];
        int round = j / octets.length;
        if (round > 255) throw new IllegalStateException("synthetic IPv4 space of " + r + " exhausted");
        int o2 = (round * 37 + 11) & 0xFF;
        networks.add(new String[] {o1 + "." + o2 + ".0.0/16", countries.get(country).code()});
        return o1 << 8 | o2;
    }

    private String allocateV6(int country, int s) {
        if (v6Prefix[s][country] == 0) {
            Registry r = countries.get(country).registry();
            int j = 2 * blocksPerRegistry.get(r)[s]++ + s;
            int prefix = V6_BASE.get(r) | ((j * 0x9E3B + 0x5A5) & 0xFFFFF);
            v6Prefix[s][country] = prefix;
            byte[] net = new byte[16];
            putInt(net, 0, prefix);
            networks.add(new String[] {IpText.format(net) + "/32", countries.get(country).code()});
        }
        long n = v6Counter[s][country]++;
        byte[] a = new byte[16];
        putInt(a, 0, v6Prefix[s][country]);
        // Subnet: a bijection of the counter, so addresses are unique; interface id: a hash.
        putInt(a, 4, (int) (n * 0x9E3779B1L + 0x7F4A7C15L + country * 0x632BE5ABL));
        long iid = mix(n * 31 + country * 7919L + s);
        // Many real interface ids are short (::1, ::a:2); keep a quarter of them that way.
        if ((iid & 3) == 0) iid = ((iid >>> 2) & 0xFFFFL) | 1;
        putLong(a, 8, iid);
        return IpText.format(a);
    }

    /** Every network handed out so far, as (CIDR, ISO-2 country). */
    List<String[]> networks() {
        return networks;
    }

    void writeCountryDatabase(Path file, long buildEpochSeconds) throws IOException {
        CountryDatabaseWriter w = new CountryDatabaseWriter()
                .buildEpoch(buildEpochSeconds)
                .description("spikewatch synthetic country database (generated traffic; not real geolocation)");
        for (String[] n : networks) w.addCountry(n[0], n[1]);
        w.write(file);
    }

    private static void putInt(byte[] a, int off, int v) {
        for (int i = 0; i < 4; i++) a[off + i] = (byte) (v >>> (24 - 8 * i));
    }

    private static void putLong(byte[] a, int off, long v) {
        for (int i = 0; i < 8; i++) a[off + i] = (byte) (v >>> (56 - 8 * i));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
