package io.spikewatch.enrichment;

/**
 * Resolves a client IP to the country it is registered in.
 *
 * <p>Input: an IP address literal as it appears in a log (IPv4 or IPv6; never a host name).
 * Output: the upper-case ISO 3166-1 alpha-2 code, or {@code null} when the address is invalid,
 * private or not in the database. Implementations are opened by the operator that uses them (in
 * {@code open()}), not serialized with the job graph, because a country database is tens of MB.
 */
public interface CountryLookup {
    String country(String ip);

    /**
     * The answer for an IPv4 address, with how far it reaches: every address that shares the first
     * {@code prefixLength} bits with this one gets the same answer. That is what lets
     * {@link CachingCountryLookup} keep one answer per /24 instead of one per address.
     *
     * @param address the address, big-endian (the first octet in the top byte)
     * @param text    the same address as dotted-decimal text, for lookups that only take text
     * @return the answer of {@link #country(String)} for {@code text}; this default vouches for the
     *         one address only (prefix 32)
     */
    default Ipv4Answer countryOfIpv4(int address, String text) {
        return new Ipv4Answer(country(text), 32);
    }

    /** A country (or null) and the IPv4 prefix length over which it holds. */
    record Ipv4Answer(String country, int prefixLength) {}
}
