package io.spikewatch.enrichment;

/**
 * Formats an address as canonical text, the inverse of {@link IpLiteral#parse}: dotted decimal for
 * 4 bytes, RFC 5952 for 16 bytes (lower-case hex, no leading zeros, the longest run of two or more
 * zero groups shortened to {@code ::}, IPv4-mapped addresses as {@code ::ffff:a.b.c.d}).
 *
 * <p>Canonical text matters because IPs are keys: the same client must not count as two keys
 * because one log wrote {@code 2001:DB8:0::1} and the other {@code 2001:db8::1}.
 */
public final class IpText {
    private IpText() {}

    public static String format(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        }
        if (a.length != 16) throw new IllegalArgumentException("address must have 4 or 16 bytes, not " + a.length);
        byte[] v4 = IpLiteral.toIpv4IfMapped(a);
        if (v4.length == 4) return "::ffff:" + format(v4);
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) groups[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        int bestStart = -1;
        int bestLen = 1; // a single zero group is never shortened
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }
}
