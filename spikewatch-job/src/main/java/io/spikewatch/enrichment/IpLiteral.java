package io.spikewatch.enrichment;

/**
 * Parses IPv4 and IPv6 address literals to bytes without ever touching DNS
 * ({@code InetAddress.getByName} would resolve an attacker-supplied host name).
 *
 * <p>Returns 4 bytes for IPv4, 16 for IPv6 (IPv4-mapped IPv6 {@code ::ffff:a.b.c.d} stays 16 bytes;
 * see {@link #toIpv4IfMapped}). Returns {@code null} for anything that is not a literal. Zone ids
 * ({@code fe80::1%eth0}) are rejected.
 */
public final class IpLiteral {
    private IpLiteral() {}

    public static byte[] parse(String s) {
        if (s == null || s.isEmpty() || s.length() > 45) return null;
        return s.indexOf(':') >= 0 ? parseV6(s) : parseV4(s, 0, s.length());
    }

    public static boolean isValid(String s) {
        return parse(s) != null;
    }

    /** {@code ::ffff:a.b.c.d} as 4 bytes; any other address unchanged. */
    public static byte[] toIpv4IfMapped(byte[] a) {
        if (a == null || a.length != 16) return a;
        for (int i = 0; i < 10; i++) if (a[i] != 0) return a;
        if (a[10] != (byte) 0xff || a[11] != (byte) 0xff) return a;
        return new byte[] {a[12], a[13], a[14], a[15]};
    }

    /**
     * The IPv4 literal {@code s} as an unsigned 32-bit value (first octet in the top byte), or -1
     * when {@link #parse} would not return 4 bytes for it. Allocates nothing: for per-event callers.
     */
    public static long ipv4Bits(String s) {
        if (s == null) return -1;
        int len = s.length();
        if (len < 7 || len > 15) return -1;
        long bits = 0;
        int part = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (digits == 1 && value == 0) return -1;
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (value > 255 || ++digits > 3) return -1;
            } else if (c == '.') {
                if (value < 0 || part == 3) return -1;
                bits = bits << 8 | value;
                part++;
                value = -1;
                digits = 0;
            } else {
                return -1;
            }
        }
        if (value < 0 || part != 3) return -1;
        return bits << 8 | value;
    }

    static byte[] parseV4(String s, int from, int to) {
        byte[] out = new byte[4];
        int part = 0;
        int value = -1;
        int digits = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                // Leading zeros ("01") are ambiguous (octal in some parsers): reject them.
                if (digits == 1 && value == 0) return null;
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (value > 255 || ++digits > 3) return null;
            } else if (c == '.') {
                if (value < 0 || part == 3) return null;
                out[part++] = (byte) value;
                value = -1;
                digits = 0;
            } else {
                return null;
            }
        }
        if (value < 0 || part != 3) return null;
        out[3] = (byte) value;
        return out;
    }

    private static byte[] parseV6(String s) {
        int len = s.length();
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = 0;
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
            if (len == 2) return new byte[16];
        } else if (s.charAt(0) == ':') {
            return null;
        }
        while (i < len) {
            if (count == 8) return null;
            int start = i;
            int value = 0;
            while (i < len && isHex(s.charAt(i))) {
                value = (value << 4) | Character.digit(s.charAt(i), 16);
                i++;
                if (i - start > 4) return null;
            }
            if (i < len && s.charAt(i) == '.') {
                // Embedded IPv4 in the last 32 bits.
                if (count > 6) return null;
                byte[] v4 = parseV4(s, start, len);
                if (v4 == null) return null;
                groups[count++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                groups[count++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
                i = len;
                break;
            }
            if (i == start) return null;
            groups[count++] = value;
            if (i == len) break;
            if (s.charAt(i) != ':') return null;
            i++;
            if (i < len && s.charAt(i) == ':') {
                if (gap >= 0) return null;
                gap = count;
                i++;
                if (i == len) break;
            } else if (i == len) {
                return null;
            }
        }
        if (gap < 0 && count != 8) return null;
        if (gap >= 0 && count > 7) return null;
        byte[] out = new byte[16];
        int missing = 8 - count;
        int g = 0;
        for (int k = 0; k < 8; k++) {
            int v;
            if (gap >= 0 && k >= gap && k < gap + missing) {
                v = 0;
            } else {
                v = groups[g++];
            }
            out[2 * k] = (byte) (v >>> 8);
            out[2 * k + 1] = (byte) v;
        }
        return out;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
