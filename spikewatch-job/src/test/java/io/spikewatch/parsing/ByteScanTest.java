package io.spikewatch.parsing;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each SWAR scan of {@link ByteScan} against the byte-at-a-time loop it replaces, over ranges that
 * exercise the word loop, the scalar tail and the seam between them: every length 0..40 at every
 * start offset 0..9 inside a larger array (so {@code from} and {@code to} are rarely multiples of
 * 8 and bytes outside the range must be ignored), target bytes planted at every position, all 256
 * byte values, and random fill with fixed seeds.
 */
class ByteScanTest {
    private static final int MAX_LEN = 40;
    private static final int MAX_OFFSET = 9;
    private static final int PAD = 12;

    // ---- scalar references ----------------------------------------------------------------------

    private static int firstNonAsciiRef(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] < 0) return i;
        return to;
    }

    private static int indexOfRef(byte[] b, int from, int to, byte v) {
        for (int i = from; i < to; i++) if (b[i] == v) return i;
        return -1;
    }

    private static int jsonStopRef(byte[] b, int from, int to, boolean stopAtNonAscii) {
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xFF;
            if (c == '"' || c == '\\' || c < 0x20 || (stopAtNonAscii && c >= 0x80)) return i;
        }
        return to;
    }

    private static int indexOfKeyRef(byte[] b, int from, int to, byte[] key) {
        outer:
        for (int i = from; i + key.length <= to; i++) {
            for (int k = 0; k < key.length; k++) if (b[i + k] != key[k]) continue outer;
            return i;
        }
        return -1;
    }

    // ---- fixtures -------------------------------------------------------------------------------

    /** Checks every scan on every range {@code [off, off + len)} of {@code b} (len up to what fits). */
    private static void checkAllRanges(byte[] b, byte target) {
        for (int off = 0; off <= MAX_OFFSET && off <= b.length; off++) {
            for (int len = 0; off + len <= b.length && len <= MAX_LEN; len++) {
                checkRange(b, off, off + len, target);
            }
        }
        checkRange(b, 0, b.length, target);
    }

    private static void checkRange(byte[] b, int from, int to, byte target) {
        // Compared by hand so the (costly) description is only built for a failure.
        same("firstNonAscii", ByteScan.firstNonAscii(b, from, to), firstNonAsciiRef(b, from, to), b, from, to);
        same("indexOf " + (target & 0xFF), ByteScan.indexOf(b, from, to, target), indexOfRef(b, from, to, target), b, from, to);
        same("json stop", ByteScan.firstJsonStringStop(b, from, to, true), jsonStopRef(b, from, to, true), b, from, to);
        same("json stop (ASCII only)", ByteScan.firstJsonStringStop(b, from, to, false), jsonStopRef(b, from, to, false),
                b, from, to);
    }

    private static void same(String scan, int actual, int expected, byte[] b, int from, int to) {
        if (actual != expected) {
            assertThat(actual).as(scan + " on range [" + from + ", " + to + ") of " + hex(b)).isEqualTo(expected);
        }
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) s.append(String.format("%02x", x & 0xFF));
        return s.toString();
    }

    /** {@code len} bytes that none of the scans stop at (printable ASCII without quote and backslash). */
    private static byte[] plain(Random rnd, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            byte c;
            do {
                c = (byte) (0x20 + rnd.nextInt(0x5F));
            } while (c == '"' || c == '\\' || c == 'y');
            b[i] = c;
        }
        return b;
    }

    // ---- first-byte scans -----------------------------------------------------------------------

    @Test
    void everyByteValueAtEveryPositionAgainstAPlainBackground() {
        Random rnd = new Random(1);
        for (int v = 0; v < 256; v++) {
            for (int pos = 0; pos < MAX_LEN + MAX_OFFSET; pos++) {
                byte[] b = plain(rnd, MAX_LEN + MAX_OFFSET + PAD);
                b[pos] = (byte) v;
                checkAllRanges(b, (byte) v);
            }
        }
    }

    /**
     * Two planted bytes: the zero-byte test may also flag bytes above a hit (borrow), so a second
     * target or a byte like 0x01 / 0x20 / 0x21 just above the first must not move the answer.
     */
    @Test
    void aHitFollowedByBorrowProneBytes() {
        Random rnd = new Random(2);
        byte[] interesting = {0, 1, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F, (byte) 0x80, (byte) 0xFF, '\n', 'y'};
        for (byte first : interesting) {
            for (byte second : interesting) {
                for (int pos = 0; pos < 24; pos++) {
                    byte[] b = plain(rnd, 32 + PAD);
                    b[pos] = first;
                    b[pos + 1] = second;
                    checkAllRanges(b, first);
                    checkAllRanges(b, second);
                }
            }
        }
    }

    /**
     * {@code firstNonAscii} reads 32-byte blocks of four words before its 8-byte loop, which ranges
     * of up to {@value #MAX_LEN} bytes barely reach: here ranges of up to 100 bytes put the hit in
     * each word of three successive blocks, then in the 8-byte loop and the tail, at every start
     * offset, alone or with a later hit in the same word, a later word or the next block.
     */
    @Test
    void firstNonAsciiInEachWordOfEachBlock() {
        Random rnd = new Random(5);
        int len = 100;
        for (int off = 0; off <= MAX_OFFSET; off++) {
            for (int pos = 0; pos < len; pos++) {
                for (int gap : new int[] {0, 1, 8, 17, 31, 40}) {
                    byte[] b = plain(rnd, off + len + PAD);
                    b[off + pos] = (byte) (0x80 | rnd.nextInt(0x80));
                    if (gap > 0 && pos + gap < len) b[off + pos + gap] = (byte) 0xFF;
                    // A non-ASCII byte just before the range must not count.
                    if (off > 0) b[off - 1] = (byte) 0xC3;
                    for (int to = off; to <= off + len; to++) {
                        same("firstNonAscii", ByteScan.firstNonAscii(b, off, to), firstNonAsciiRef(b, off, to), b, off, to);
                    }
                }
            }
        }
    }

    @Test
    void randomBytes() {
        Random rnd = new Random(3);
        for (int round = 0; round < 3000; round++) {
            byte[] b = new byte[rnd.nextInt(MAX_LEN + MAX_OFFSET + PAD)];
            // Skewed fills so that hits are sometimes absent, sometimes dense.
            int kind = round % 3;
            for (int i = 0; i < b.length; i++) {
                b[i] = kind == 0 ? (byte) rnd.nextInt(256)
                        : kind == 1 ? (byte) (0x20 + rnd.nextInt(0x60))
                        : (byte) (rnd.nextInt(4) == 0 ? 0x80 | rnd.nextInt(0x80) : 0x40 + rnd.nextInt(0x3F));
            }
            checkAllRanges(b, (byte) rnd.nextInt(256));
        }
    }

    @Test
    void emptyRangesAnywhere() {
        byte[] b = "\"\\\n\u0001y".getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i <= b.length; i++) {
            assertThat(ByteScan.firstNonAscii(b, i, i)).isEqualTo(i);
            assertThat(ByteScan.indexOf(b, i, i, (byte) '\n')).isEqualTo(-1);
            assertThat(ByteScan.firstJsonStringStop(b, i, i, true)).isEqualTo(i);
            assertThat(ByteScan.indexOf(b, i, i, "y".getBytes(StandardCharsets.US_ASCII), 0)).isEqualTo(-1);
            assertThat(ByteScan.regionEquals(b, i, b, i, 0)).isTrue();
        }
        assertThat(ByteScan.firstNonAscii(new byte[0], 0, 0)).isZero();
    }

    // ---- regionEquals ---------------------------------------------------------------------------

    @Test
    void regionEqualsFindsADifferenceAtEveryPositionOfEveryLength() {
        Random rnd = new Random(4);
        for (int len = 0; len <= MAX_LEN; len++) {
            for (int aOff = 0; aOff < 9; aOff++) {
                int cOff = (aOff * 5) % 9;
                byte[] a = new byte[aOff + len + PAD];
                rnd.nextBytes(a);
                byte[] c = new byte[cOff + len + PAD];
                rnd.nextBytes(c);
                System.arraycopy(a, aOff, c, cOff, len);
                assertThat(ByteScan.regionEquals(a, aOff, c, cOff, len)).as("len %d", len).isTrue();
                for (int d = 0; d < len; d++) {
                    byte saved = c[cOff + d];
                    c[cOff + d] ^= (byte) (1 << rnd.nextInt(8));
                    assertThat(ByteScan.regionEquals(a, aOff, c, cOff, len)).as("len %d diff at %d", len, d).isFalse();
                    c[cOff + d] = saved;
                }
            }
        }
    }

    @Test
    void packedEqualsMatchesEveryLengthAtEveryOffsetAndSeesEveryDifferenceButNotTheBytesAfter() {
        Random rnd = new Random(5);
        long[] words = new long[8];
        long[] masks = new long[8];
        for (int len = 0; len <= ByteScan.PACKED_BYTES; len++) {
            byte[] key = new byte[len];
            rnd.nextBytes(key);
            ByteScan.pack(key, words, masks, 4);
            for (int off = 0; off < 9; off++) {
                byte[] b = new byte[off + ByteScan.PACKED_BYTES];
                rnd.nextBytes(b);
                System.arraycopy(key, 0, b, off, len);
                assertThat(ByteScan.packedEquals(b, off, words, masks, 4)).as("len %d off %d", len, off).isTrue();
                for (int d = 0; d < b.length - off; d++) {
                    byte saved = b[off + d];
                    b[off + d] ^= (byte) (1 << rnd.nextInt(8));
                    // A difference inside the key fails the match; one after it is not looked at.
                    assertThat(ByteScan.packedEquals(b, off, words, masks, 4))
                            .as("len %d off %d diff at %d", len, off, d).isEqualTo(d >= len);
                    b[off + d] = saved;
                }
            }
        }
        assertThatThrownBy(() -> ByteScan.pack(new byte[ByteScan.PACKED_BYTES + 1], words, masks, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- key search -----------------------------------------------------------------------------

    @Test
    void keyAtEveryPositionAndCutByTheRangeEnds() {
        byte[] key = "\"messageType\"".getBytes(StandardCharsets.US_ASCII);
        Random rnd = new Random(5);
        for (int pos = 0; pos < 40; pos++) {
            byte[] b = plain(rnd, 40 + key.length + PAD);
            System.arraycopy(key, 0, b, pos, key.length);
            for (int from = 0; from <= Math.min(pos + 2, b.length); from++) {
                for (int to = Math.max(from, pos + key.length - 2); to <= Math.min(pos + key.length + 10, b.length); to++) {
                    for (int anchor = 0; anchor < key.length; anchor++) {
                        assertThat(ByteScan.indexOf(b, from, to, key, anchor))
                                .as("key at %d, range [%d, %d), anchor %d", pos, from, to, anchor)
                                .isEqualTo(indexOfKeyRef(b, from, to, key));
                    }
                }
            }
        }
    }

    /** Near misses (the anchor byte everywhere, the key cut short, repeated) and random keys. */
    @Test
    void nearMissesAndRandomKeys() {
        Random rnd = new Random(6);
        String[] texts = {
            "\"terminatingRuleType\":\"REGULAR\",\"country\":\"yy\"",
            "\"messageTyp\"messageType\"", "messageType\"\"messageType", "\"messageType\"\"messageType\"",
            "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\"messageType\"yyyy", "\"messageTYpe\"\"messageType",
        };
        byte[] key = "\"messageType\"".getBytes(StandardCharsets.US_ASCII);
        for (String t : texts) {
            byte[] b = t.getBytes(StandardCharsets.US_ASCII);
            for (int from = 0; from <= b.length; from++) {
                for (int to = from; to <= b.length; to++) {
                    assertThat(ByteScan.indexOf(b, from, to, key, 9)).as("%s [%d, %d)", t, from, to)
                            .isEqualTo(indexOfKeyRef(b, from, to, key));
                }
            }
        }
        for (int round = 0; round < 5000; round++) {
            byte[] b = new byte[rnd.nextInt(60)];
            for (int i = 0; i < b.length; i++) b[i] = (byte) ('a' + rnd.nextInt(3));
            byte[] k = new byte[1 + rnd.nextInt(4)];
            for (int i = 0; i < k.length; i++) k[i] = (byte) ('a' + rnd.nextInt(3));
            int from = b.length == 0 ? 0 : rnd.nextInt(b.length + 1);
            int to = from + rnd.nextInt(b.length - from + 1);
            int anchor = rnd.nextInt(k.length);
            assertThat(ByteScan.indexOf(b, from, to, k, anchor)).isEqualTo(indexOfKeyRef(b, from, to, k));
        }
    }
}
