package io.spikewatch.parsing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The byte searches of the parsing hot path, eight bytes per step: find the first byte of a kind
 * in {@code b[from, to)} (non-ASCII, a given value, a byte a JSON string scan must stop at), find a
 * key, compare two ranges. Each gives exactly the answer of the obvious byte-at-a-time loop.
 *
 * <p>Why: every ~1.2 KB WAF record is walked several times (UTF-8 check, line split, envelope
 * check, JSON strings), and byte-at-a-time loops there are measurable on the parse thread. A
 * {@code long} read through a byte-array view is one unaligned load on the platforms we run on,
 * and the classic SWAR tests ("does this word have a zero byte", "a byte below n") classify eight
 * bytes with a handful of ALU operations. Plain Java 17: no incubator Vector API to enable on the
 * cluster. Words are read little-endian so the first byte of the range is the lowest byte of the
 * word and {@link Long#numberOfTrailingZeros} / 8 is the index of the first flagged byte.
 *
 * <p>The zero-byte test {@code (x - 0x01..01) & ~x & 0x80..80} flags every zero byte, and may
 * also flag a byte {@code 0x01} above a zero byte (the borrow runs on) — never one below. So its
 * lowest flag is exact, which is all the first-match searches use. The key search, which walks
 * every candidate in a word, and the JSON string stop use carry-free variants instead.
 */
final class ByteScan {
    private ByteScan() {}

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LOWS = 0x7F7F7F7F7F7F7F7FL;
    private static final long QUOTES = '"' * ONES;
    private static final long BACKSLASHES = '\\' * ONES;
    /** Added to a 7-bit byte: the sum reaches 0x80 exactly when the byte is at least 0x20. */
    private static final long BELOW_SPACE = 0x60 * ONES;

    private static long word(byte[] b, int i) {
        return (long) LONGS.get(b, i);
    }

    /** 0x80 in every zero byte of {@code x}, possibly also above one; the lowest is exact. */
    private static long zeroBytes(long x) {
        return (x - ONES) & ~x & HIGHS;
    }

    /** 0x80 in exactly the zero bytes of {@code x} (no borrow crosses bytes: the sum cannot carry out). */
    private static long exactZeroBytes(long x) {
        return ~(((x & LOWS) + LOWS) | x | LOWS);
    }

    private static int firstFlagged(long mask) {
        return Long.numberOfTrailingZeros(mask) >>> 3;
    }

    /**
     * Index of the first byte {@code >= 0x80} in {@code b[from, to)}, or {@code to}. Runs over every
     * record (the UTF-8 check), which is nearly all ASCII: so 32 bytes per step, four words OR-ed and
     * tested once, which keeps the loads independent and the branches few; only a block with a hit
     * is looked at word by word.
     */
    static int firstNonAscii(byte[] b, int from, int to) {
        int i = from;
        for (int last = to - 32; i <= last; i += 32) {
            long w0 = word(b, i);
            long w1 = word(b, i + 8);
            long w2 = word(b, i + 16);
            long w3 = word(b, i + 24);
            if (((w0 | w1 | w2 | w3) & HIGHS) != 0) return i + firstHighByte(w0, w1, w2, w3);
        }
        for (int last = to - 8; i <= last; i += 8) {
            long m = word(b, i) & HIGHS;
            if (m != 0) return i + firstFlagged(m);
        }
        for (; i < to; i++) {
            if (b[i] < 0) return i;
        }
        return to;
    }

    /** Offset in a 32-byte block of its first byte {@code >= 0x80}; some word has one. */
    private static int firstHighByte(long w0, long w1, long w2, long w3) {
        if ((w0 & HIGHS) != 0) return firstFlagged(w0 & HIGHS);
        if ((w1 & HIGHS) != 0) return 8 + firstFlagged(w1 & HIGHS);
        if ((w2 & HIGHS) != 0) return 16 + firstFlagged(w2 & HIGHS);
        return 24 + firstFlagged(w3 & HIGHS);
    }

    /** Index of the first {@code v} in {@code b[from, to)}, or -1. */
    static int indexOf(byte[] b, int from, int to, byte v) {
        long pattern = (v & 0xFFL) * ONES;
        int i = from;
        for (int last = to - 8; i <= last; i += 8) {
            long m = zeroBytes(word(b, i) ^ pattern);
            if (m != 0) return i + firstFlagged(m);
        }
        for (; i < to; i++) {
            if (b[i] == v) return i;
        }
        return -1;
    }

    /**
     * Index of the first byte in {@code b[from, to)} that a JSON string scan must look at — a
     * {@code "}, a backslash, a control character below 0x20, and, if {@code stopAtNonAscii}, a
     * byte {@code >= 0x80} — or {@code to}. The flag lets a scan that already knows its string is
     * non-ASCII run through the rest of it without stopping at every byte of every character.
     */
    static int firstJsonStringStop(byte[] b, int from, int to, boolean stopAtNonAscii) {
        long high = stopAtNonAscii ? HIGHS : 0L;
        int i = from;
        for (int last = to - 8; i <= last; i += 8) {
            long w = word(b, i);
            // On the low seven bits of each byte, adding 0x7F sets the high bit unless the byte is
            // 0 (here: equal to the pattern), and adding 0x60 sets it unless the byte is below
            // 0x20. No sum carries into the next byte, so the mask is exact. Two additions are
            // cheaper than three borrow-based tests, which matters for JSON's short strings.
            // Bytes >= 0x80 may match on their low bits: ~w drops them, the last term adds them.
            long x = w & LOWS;
            long plain = ((x ^ QUOTES) + LOWS) & ((x ^ BACKSLASHES) + LOWS) & (x + BELOW_SPACE);
            long m = (~plain & ~w | w & high) & HIGHS;
            if (m != 0) return i + firstFlagged(m);
        }
        for (; i < to; i++) {
            int c = b[i] & 0xFF;
            if (c == '"' || c == '\\' || c < 0x20 || (c >= 0x80 && stopAtNonAscii)) return i;
        }
        return to;
    }

    /**
     * Whether {@code a[aFrom, aFrom + len)} equals {@code c[cFrom, cFrom + len)}. Inlined word
     * compares (the last word overlapping the previous one rather than a byte tail) instead of
     * {@link java.util.Arrays#equals(byte[], int, int, byte[], int, int)}, whose out-of-line call
     * dominates for the short field names and values this compares.
     */
    static boolean regionEquals(byte[] a, int aFrom, byte[] c, int cFrom, int len) {
        if (len >= 8) {
            int last = len - 8;
            for (int i = 0; i < last; i += 8) {
                if (word(a, aFrom + i) != word(c, cFrom + i)) return false;
            }
            return word(a, aFrom + last) == word(c, cFrom + last);
        }
        if (len >= 4) {
            int last = len - 4;
            return (int) INTS.get(a, aFrom) == (int) INTS.get(c, cFrom)
                    && (int) INTS.get(a, aFrom + last) == (int) INTS.get(c, cFrom + last);
        }
        for (int i = 0; i < len; i++) {
            if (a[aFrom + i] != c[cFrom + i]) return false;
        }
        return true;
    }

    /** Bytes {@link #packedEquals} compares: up to four words. */
    static final int PACKED_BYTES = 32;

    /**
     * Packs {@code key} (at most {@link #PACKED_BYTES} bytes) for {@link #packedEquals}: its words
     * into {@code words[at, at + 4)} and, into {@code masks[at, at + 4)}, a mask of the bytes it
     * covers in each (all ones, the low bytes of the last partial word, zero past its end).
     */
    static void pack(byte[] key, long[] words, long[] masks, int at) {
        if (key.length > PACKED_BYTES) throw new IllegalArgumentException("key longer than " + PACKED_BYTES + " bytes");
        for (int k = 0; k < 4; k++) {
            long w = 0;
            long m = 0;
            for (int j = 0; j < 8; j++) {
                int i = k * 8 + j;
                if (i < key.length) {
                    w |= (key[i] & 0xFFL) << (8 * j);
                    m |= 0xFFL << (8 * j);
                }
            }
            words[at + k] = w;
            masks[at + k] = m;
        }
    }

    /**
     * Whether {@code b} holds, at {@code from}, the key {@link #pack packed} at {@code at}; the
     * caller has checked that the key's length fits before its range ends and that
     * {@code from + PACKED_BYTES <= b.length} (bytes past the key are read, and masked out).
     * The same four loads and one test for every key length, where {@link #regionEquals}' loop runs
     * a different number of times for each of a record's ~30 member names, and its branch
     * mispredictions are measurable on the parse's hot path.
     */
    static boolean packedEquals(byte[] b, int from, long[] words, long[] masks, int at) {
        long d = (word(b, from) ^ words[at]) & masks[at];
        d |= (word(b, from + 8) ^ words[at + 1]) & masks[at + 1];
        d |= (word(b, from + 16) ^ words[at + 2]) & masks[at + 2];
        d |= (word(b, from + 24) ^ words[at + 3]) & masks[at + 3];
        return d == 0;
    }

    /**
     * Index of the first occurrence of {@code key} (non-empty) in {@code b[from, to)}, or -1.
     * Candidates are the positions of {@code key[anchor]}, found eight bytes at a time, each
     * confirmed by comparing the whole key: the caller picks as anchor a byte of the key that is
     * rare in its data, so that confirmations are few.
     */
    static int indexOf(byte[] b, int from, int to, byte[] key, int anchor) {
        int n = key.length;
        // Anchor positions p for which the key fits: p - anchor >= from and p - anchor + n <= to.
        int lo = from + anchor;
        int hi = to - n + anchor + 1;
        byte v = key[anchor];
        long pattern = (v & 0xFFL) * ONES;
        int i = lo;
        for (int last = hi - 8; i <= last; i += 8) {
            long m = exactZeroBytes(word(b, i) ^ pattern);
            while (m != 0) {
                int at = i + firstFlagged(m) - anchor;
                if (regionEquals(b, at, key, 0, n)) return at;
                m &= m - 1;
            }
        }
        for (; i < hi; i++) {
            if (b[i] == v && regionEquals(b, i - anchor, key, 0, n)) return i - anchor;
        }
        return -1;
    }
}
