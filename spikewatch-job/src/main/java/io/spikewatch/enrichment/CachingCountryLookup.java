package io.spikewatch.enrichment;

/**
 * A {@link CountryLookup} that remembers answers in two small direct-mapped tables in front of
 * another lookup, so that repeat traffic skips the parse, tree walk and record decode of
 * {@link MmdbCountryLookup}, which is measurable per event on the source thread without a cache.
 *
 * <p>Input: the same IP literals as the delegate. Output: exactly the delegate's answer, including
 * {@code null}, which is cached as well (private and unknown addresses repeat like any other). A
 * {@code null} IP goes straight to the delegate.
 *
 * <p><b>IPv4 by /24.</b> An IPv4 literal is parsed to its 32-bit value (no allocation) and looked up
 * by its /24 block: when the delegate says its answer holds for a network of prefix 24 or shorter
 * ({@link CountryLookup#countryOfIpv4}; the MaxMind reader knows the network of every answer), the
 * whole block gets that answer, so one lookup covers the 256 addresses of the block. Country
 * databases rarely split a /24 (the generator's networks are /16s; DB-IP's are mostly /24 or
 * larger). The key is an {@code int}, so a hit reads two arrays and compares numbers, where the
 * text table below follows a reference to a cached String and its bytes. Clients cluster in
 * blocks, so the block table also answers the first request of an address whose neighbours were
 * seen; its misses are a block's first request and slot collisions. Addresses in a block the
 * database splits, and delegates that only take text (prefix 32), fall through to the text table.
 *
 * <p><b>Everything else by text</b> (IPv6, IPv4-mapped IPv6, split blocks): the slot is a few bits of
 * {@link String#hashCode()}, so two spellings of one address take two slots and still agree.
 *
 * <p>Direct-mapped rather than LRU: a miss simply overwrites the slot. There is no bookkeeping per
 * hit. Heavy hitters stay resident because they keep coming back; a one-off address evicts at most
 * one entry.
 *
 * <p>Memory is bounded by the slot count, {@value #DEFAULT_SLOTS} by default, per table: the block
 * table is an {@code int} array and a reference array (4 bytes per slot each with compressed
 * references: 512 KiB), the text table two reference arrays (512 KiB) plus the cached IP strings, at
 * most one per slot: about 56 bytes as a String for IPv4 and at most 80 for the 39 characters of a
 * full IPv6 address. Both full, 5 MiB (all IPv4) to 6.5 MiB (all long IPv6) per instance, with
 * compressed references. Country values are the delegate's own strings.
 *
 * <p>Not thread-safe: the arrays are written without synchronization, so concurrent callers could
 * pair one IP with another's country. Each Flink subtask opens its own instance (via
 * {@link EventEnricher#open}); it must not be shared between threads.
 */
public final class CachingCountryLookup implements CountryLookup {
    static final int DEFAULT_SLOTS = 1 << 16;

    /** Stands for a cached {@code null} answer; compared by identity, never returned. */
    private static final String NO_COUNTRY = new String("no country");

    private final CountryLookup delegate;
    /** The /24 of each block slot plus one ({@code 0}: empty), and its answer. */
    private final int[] blocks;
    private final String[] blockCountries;
    private final int blockShift;
    private final String[] ips;
    private final String[] countries;
    private final int mask;

    public CachingCountryLookup(CountryLookup delegate) {
        this(delegate, DEFAULT_SLOTS);
    }

    /** {@code slots} must be a power of two; small tables let tests force collisions. */
    CachingCountryLookup(CountryLookup delegate, int slots) {
        if (slots <= 0 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two, was " + slots);
        }
        this.delegate = delegate;
        this.blocks = new int[slots];
        this.blockCountries = new String[slots];
        this.blockShift = 32 - Integer.numberOfTrailingZeros(slots);
        this.ips = new String[slots];
        this.countries = new String[slots];
        this.mask = slots - 1;
    }

    @Override
    public String country(String ip) {
        if (ip == null) return delegate.country(null);
        long v4 = IpLiteral.ipv4Bits(ip);
        int blockSlot = 0;
        int blockKey = 0;
        if (v4 >= 0) {
            blockKey = (int) (v4 >>> 8) + 1;
            // Fibonacci hashing: neighbouring blocks, the usual case, spread over the whole table.
            blockSlot = blockShift == 32 ? 0 : (blockKey * 0x9E3779B1) >>> blockShift;
            if (blocks[blockSlot] == blockKey) return unbox(blockCountries[blockSlot]);
        }
        int h = ip.hashCode();
        // Fold the high bits in, as HashMap does: the low bits alone would ignore the first
        // characters of the text.
        int slot = (h ^ (h >>> 16)) & mask;
        if (ip.equals(ips[slot])) return unbox(countries[slot]);
        String country;
        if (v4 >= 0) {
            Ipv4Answer answer = delegate.countryOfIpv4((int) v4, ip);
            country = answer.country();
            if (answer.prefixLength() <= 24) {
                blocks[blockSlot] = blockKey;
                blockCountries[blockSlot] = box(country);
                return country;
            }
        } else {
            country = delegate.country(ip);
        }
        ips[slot] = ip;
        countries[slot] = box(country);
        return country;
    }

    private static String box(String country) {
        return country == null ? NO_COUNTRY : country;
    }

    private static String unbox(String cached) {
        return cached == NO_COUNTRY ? null : cached;
    }
}
