package io.spikewatch.enrichment;

import java.util.Arrays;

/**
 * One IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}); a bare
 * address means a single host ({@code /32} or {@code /128}).
 *
 * <p>Input: configuration text (allowlists, synthetic GeoIP ranges). Output: the network address
 * (4 or 16 bytes, host bits zero) and the prefix length. Parsing never touches DNS (it goes through
 * {@link IpLiteral}). Host bits that are set ({@code 10.0.0.1/8}) are rejected rather than silently
 * masked: in a hand-written allowlist they are usually a typo in the prefix length, and masking would
 * allow far more than intended. An IPv6 network inside {@code ::ffff:0:0/96} (IPv4-mapped) is
 * normalized to the IPv4 network it denotes, so both spellings mean the same thing.
 */
public final class Cidr {
    private final byte[] address;
    private final int prefixLength;

    private Cidr(byte[] address, int prefixLength) {
        this.address = address;
        this.prefixLength = prefixLength;
    }

    /**
     * Parses one entry.
     *
     * @throws IllegalArgumentException naming the entry when it is not a valid CIDR or address
     */
    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("invalid CIDR '" + text + "': empty entry");
        }
        String s = text.strip();
        int slash = s.indexOf('/');
        String ip = slash < 0 ? s : s.substring(0, slash);
        byte[] bytes = IpLiteral.parse(ip);
        if (bytes == null) {
            throw new IllegalArgumentException("invalid CIDR '" + text + "': '" + ip + "' is not an IP address");
        }
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("invalid CIDR '" + text + "': prefix length '" + p + "' is not a number");
            }
            prefix = Integer.parseInt(p);
            if (prefix > bits) {
                throw new IllegalArgumentException(
                        "invalid CIDR '" + text + "': prefix length " + prefix + " exceeds " + bits);
            }
        }
        byte[] masked = mask(bytes, prefix);
        if (!Arrays.equals(masked, bytes)) {
            throw new IllegalArgumentException("invalid CIDR '" + text + "': host bits are set (did you mean "
                    + new Cidr(masked, prefix) + "?)");
        }
        if (bytes.length == 16 && prefix >= 96 && IpLiteral.toIpv4IfMapped(bytes).length == 4) {
            return new Cidr(IpLiteral.toIpv4IfMapped(bytes), prefix - 96);
        }
        return new Cidr(bytes, prefix);
    }

    /** A copy of the network address: 4 bytes for IPv4, 16 for IPv6. */
    public byte[] address() {
        return address.clone();
    }

    public int prefixLength() {
        return prefixLength;
    }

    public boolean isIpv4() {
        return address.length == 4;
    }

    /** Bit {@code i} (0 = most significant) of the network address. */
    public int bit(int i) {
        return (address[i >>> 3] >>> (7 - (i & 7))) & 1;
    }

    private static byte[] mask(byte[] a, int prefix) {
        byte[] out = a.clone();
        for (int i = 0; i < out.length * 8; i++) {
            if (i >= prefix) out[i >>> 3] &= (byte) ~(0x80 >>> (i & 7));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength && Arrays.equals(c.address, address);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(address) + prefixLength;
    }

    /** Canonical text: dotted IPv4 or RFC 5952 IPv6, then {@code /prefix}. */
    @Override
    public String toString() {
        return IpText.format(address) + "/" + prefixLength;
    }
}
