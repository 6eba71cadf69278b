package io.spikewatch.enrichment;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * An immutable set of IPv4 and IPv6 networks answering "is this client address inside?" — used for
 * allowlisted ranges (health checks, office networks) that are counted but never alerted on.
 *
 * <p>Input: CIDR strings ({@code 10.0.0.0/8}, {@code 2001:db8::/32}; a bare address is a single
 * host), see {@link Cidr#parse} for what is rejected. Output: {@link #contains(String)}. The networks
 * are merged into sorted, non-overlapping ranges (IPv4 as longs, IPv6 as pairs of unsigned longs), so
 * a lookup is one binary search and allocates nothing beyond {@link IpLiteral#parse}; the hot path
 * runs once per log line. An IPv4-mapped IPv6 client ({@code ::ffff:10.1.2.3}) matches the IPv4
 * ranges, because a dual-stack listener reports IPv4 clients that way.
 *
 * <p>Serializable so that a Flink operator can carry it in its closure.
 */
public final class CidrSet implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final CidrSet EMPTY = new CidrSet(List.of());

    private final List<String> entries;
    // IPv4: [start, end] inclusive, as unsigned 32-bit values in longs; sorted, disjoint, non-adjacent.
    private final long[] v4Start;
    private final long[] v4End;
    // IPv6: 128-bit bounds as (hi, lo) pairs compared unsigned; sorted, disjoint.
    private final long[] v6StartHi;
    private final long[] v6StartLo;
    private final long[] v6EndHi;
    private final long[] v6EndLo;

    private CidrSet(List<String> entries) {
        this.entries = List.copyOf(entries);
        List<long[]> v4 = new ArrayList<>();
        List<long[]> v6 = new ArrayList<>();
        for (String e : entries) {
            Cidr c = Cidr.parse(e);
            byte[] a = c.address();
            if (c.isIpv4()) {
                long start = toLong(a, 0, 4);
                long size = 1L << (32 - c.prefixLength());
                v4.add(new long[] {start, start + size - 1});
            } else {
                long hi = toLong(a, 0, 8);
                long lo = toLong(a, 8, 8);
                int p = c.prefixLength();
                long hiMask = p >= 64 ? -1L : (p == 0 ? 0L : -1L << (64 - p));
                long loMask = p <= 64 ? 0L : (p == 128 ? -1L : -1L << (128 - p));
                v6.add(new long[] {hi, lo, hi | ~hiMask, lo | ~loMask});
            }
        }
        v4.sort((x, y) -> Long.compare(x[0], y[0]));
        List<long[]> m4 = new ArrayList<>();
        for (long[] r : v4) {
            long[] last = m4.isEmpty() ? null : m4.get(m4.size() - 1);
            if (last != null && r[0] <= last[1] + 1) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                m4.add(r.clone());
            }
        }
        v4Start = m4.stream().mapToLong(r -> r[0]).toArray();
        v4End = m4.stream().mapToLong(r -> r[1]).toArray();

        v6.sort((x, y) -> compare128(x[0], x[1], y[0], y[1]));
        List<long[]> m6 = new ArrayList<>();
        for (long[] r : v6) {
            long[] last = m6.isEmpty() ? null : m6.get(m6.size() - 1);
            // CIDR blocks either nest or are disjoint, so a start inside the last range means nesting.
            if (last != null && compare128(r[0], r[1], last[2], last[3]) <= 0) {
                if (compare128(r[2], r[3], last[2], last[3]) > 0) {
                    last[2] = r[2];
                    last[3] = r[3];
                }
            } else {
                m6.add(r.clone());
            }
        }
        v6StartHi = m6.stream().mapToLong(r -> r[0]).toArray();
        v6StartLo = m6.stream().mapToLong(r -> r[1]).toArray();
        v6EndHi = m6.stream().mapToLong(r -> r[2]).toArray();
        v6EndLo = m6.stream().mapToLong(r -> r[3]).toArray();
    }

    /**
     * Parses the entries.
     *
     * @throws IllegalArgumentException naming the first invalid entry
     */
    public static CidrSet of(Collection<String> cidrs) {
        return cidrs.isEmpty() ? EMPTY : new CidrSet(new ArrayList<>(cidrs));
    }

    public static CidrSet of(String... cidrs) {
        return of(Arrays.asList(cidrs));
    }

    public static CidrSet empty() {
        return EMPTY;
    }

    /** True when {@code ip} is an address literal inside one of the networks; false for non-addresses. */
    public boolean contains(String ip) {
        // Runs per event: IPv4 text is read straight to its value, without the parse's byte array.
        long v4 = IpLiteral.ipv4Bits(ip);
        if (v4 >= 0) return containsV4(v4);
        return contains(IpLiteral.parse(ip));
    }

    /** Same as {@link #contains(String)} for an already parsed address (4 or 16 bytes). */
    public boolean contains(byte[] a) {
        if (a == null) return false;
        if (a.length == 4) return containsV4(toLong(a, 0, 4));
        if (a.length != 16) return false;
        if (isIpv4Mapped(a)) return containsV4(toLong(a, 12, 4));
        return containsV6(toLong(a, 0, 8), toLong(a, 8, 8));
    }

    public boolean isEmpty() {
        return v4Start.length == 0 && v6StartHi.length == 0;
    }

    /** The entries as given (for logging the effective configuration). */
    public List<String> entries() {
        return entries;
    }

    private boolean containsV4(long ip) {
        int lo = 0;
        int hi = v4Start.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (v4Start[mid] <= ip) {
                if (ip <= v4End[mid]) return true;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return false;
    }

    private boolean containsV6(long ipHi, long ipLo) {
        int lo = 0;
        int hi = v6StartHi.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (compare128(v6StartHi[mid], v6StartLo[mid], ipHi, ipLo) <= 0) {
                if (compare128(ipHi, ipLo, v6EndHi[mid], v6EndLo[mid]) <= 0) return true;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return false;
    }

    private static boolean isIpv4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) if (a[i] != 0) return false;
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static int compare128(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    private static long toLong(byte[] a, int from, int len) {
        long v = 0;
        for (int i = from; i < from + len; i++) v = (v << 8) | (a[i] & 0xff);
        return v;
    }

    @Override
    public String toString() {
        return "CidrSet" + entries;
    }
}
