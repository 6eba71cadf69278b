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
}
