package io.spikewatch.parsing;

import io.spikewatch.enrichment.IpLiteral;

/**
 * Validates a client address and returns it in one canonical text form, so that the same client
 * gets the same per-IP key whether WAF or ALB logged it and however the log spelled it.
 *
 * <p>IPv4 is returned as given: {@link IpLiteral} only accepts plain dotted quads without leading
 * zeros, which is already canonical. IPv6 is re-rendered per RFC 5952 (lower case, no leading zeros,
 * longest zero run as {@code ::}, IPv4-mapped as {@code ::ffff:a.b.c.d}), because {@code 2001:DB8::1}
 * and {@code 2001:db8:0:0:0:0:0:1} are the same client. Never resolves names.
 */
final class ClientIp {
    private ClientIp() {}

    /** Canonical text of an IP literal, or {@code null} when {@code text} is not one. */
    static String canonical(String text) {
        byte[] b = IpLiteral.parse(text);
        if (b == null) return null;
        if (b.length == 4) return text;
        return formatV6(b);
    }

    private static String formatV6(byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        StringBuilder sb = new StringBuilder(39);
        if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
            return sb.append("::ffff:").append(b[12] & 0xff).append('.').append(b[13] & 0xff).append('.')
                    .append(b[14] & 0xff).append('.').append(b[15] & 0xff).toString();
        }
        // Longest run of zero groups (first one on ties); RFC 5952 forbids "::" for a single group.
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
