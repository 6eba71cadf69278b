package io.spikewatch.analyst;

import java.time.Instant;
import java.util.List;

/**
 * An IP the deny-list rule proposes, with the evidence behind it.
 *
 * @param ip        canonical text of the address (IPv4 dotted, IPv6 compressed lower case)
 * @param reasons   the criteria it met, in {@link DenyListRule} order
 * @param incidents distinct incidents (alert ids) of the IP in the range
 * @param maxBlockedShare largest WAF blocked share among its incidents' evidence
 */
public record DenyCandidate(String ip, boolean ipv6, String country, List<String> reasons, Instant firstSeen,
                            Instant lastSeen, int incidents, String maxSeverity, double maxBlockedShare,
                            long evidenceRequests, Instant suggestedExpiry) {

    /** {@code /32} for IPv4, {@code /128} for IPv6: the notation WAF IP sets take. */
    public String cidr() {
        return ip + (ipv6 ? "/128" : "/32");
    }

    public String reasonText() {
        return String.join("; ", reasons);
    }
}
