package io.spikewatch.parsing;

import io.spikewatch.enrichment.IpLiteral;
import io.spikewatch.enrichment.IpText;

/**
 * Validates a client address and returns it in one canonical text form, so that the same client
 * gets the same per-IP key whether WAF or ALB logged it and however the log spelled it.
 *
 * <p>IPv4 is returned as given: {@link IpLiteral} only accepts plain dotted quads without leading
 * zeros, which is already canonical (and returning the input spares an allocation per event). IPv6
 * is re-rendered per RFC 5952 by {@link IpText}, because {@code 2001:DB8::1} and
 * {@code 2001:db8:0:0:0:0:0:1} are the same client. Never resolves names.
 */
final class ClientIp {
    private ClientIp() {}

    /** Canonical text of an IP literal, or {@code null} when {@code text} is not one. */
    static String canonical(String text) {
        // IPv4, most clients, checked without the byte array parse returns (ipv4Bits accepts exactly
        // the literals parse turns into 4 bytes): one allocation fewer per request.
        if (IpLiteral.ipv4Bits(text) >= 0) return text;
        byte[] b = IpLiteral.parse(text);
        if (b == null) return null;
        if (b.length == 4) return text;
        return IpText.format(b);
    }
}
