package io.spikewatch.enrichment;

/**
 * A {@link CountryLookup} that remembers the last answer per slot of a small direct-mapped table in
 * front of another lookup, so that the IPs that send most of the traffic skip the parse, tree walk
 * and record decode of {@link MmdbCountryLookup} (20% of the ALB source thread without this cache).
 *
 * <p>Input: the same IP literals as the delegate. Output: exactly the delegate's answer, including
 * {@code null}, which is cached as well (private and unknown addresses repeat like any other). The
 * key is the IP text as given, so two spellings of one address take two slots and still agree. A
 * {@code null} IP goes straight to the delegate.
 *
 * <p>Direct-mapped rather than LRU: the slot is a few bits of {@link String#hashCode()}, and a miss
 * simply overwrites the slot. There is no bookkeeping per hit, and the hash is free overall because
 * the event's client IP string caches it and the ip {@code keyBy} downstream needs it anyway. Heavy
 * hitters stay resident because they keep coming back; a one-off address evicts at most one entry.
 *
 * <p>Memory is bounded by the slot count, {@value #DEFAULT_SLOTS} by default: two reference arrays
 * (4 bytes per slot each with compressed references, 8 without: 512 KiB, or 1 MiB, per instance) plus
 * the cached IP strings, at most one per slot: the parsers hand over canonical address text, about
 * 56 bytes as a String for IPv4 and at most 80 for the 39 characters of a full IPv6 address. A full
 * table therefore holds 4 MiB (all IPv4) to 5.5 MiB (all long IPv6) per instance, with compressed
 * references. Country values are the delegate's own strings.
 *
 * <p>Not thread-safe: the key and value arrays are written without synchronization, so concurrent
 * callers could pair one IP with another's country. Each Flink subtask opens its own instance (via
 * {@link EventEnricher#open}); it must not be shared between threads.
 */
public final class CachingCountryLookup implements CountryLookup {
    static final int DEFAULT_SLOTS = 1 << 16;

    /** Stands for a cached {@code null} answer; compared by identity, never returned. */
    private static final String NO_COUNTRY = new String("no country");

    private final CountryLookup delegate;
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
        this.ips = new String[slots];
        this.countries = new String[slots];
        this.mask = slots - 1;
    }

    @Override
    public String country(String ip) {
        if (ip == null) return delegate.country(null);
        int h = ip.hashCode();
        // Fold the high bits in, as HashMap does: the low bits alone would ignore the first
        // characters of the text.
        int slot = (h ^ (h >>> 16)) & mask;
        if (ip.equals(ips[slot])) {
            String cached = countries[slot];
            return cached == NO_COUNTRY ? null : cached;
        }
        String country = delegate.country(ip);
        ips[slot] = ip;
        countries[slot] = country == null ? NO_COUNTRY : country;
        return country;
    }
}
