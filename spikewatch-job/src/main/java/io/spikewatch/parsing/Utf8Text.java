package io.spikewatch.parsing;

import io.spikewatch.records.DeadLetterReason;

import java.nio.charset.StandardCharsets;

/**
 * Text held as a range of UTF-8 bytes, read without first building a {@link String}: strict
 * validation, and the few char-level questions the decoder and line parser ask of a line (is it
 * blank, how many UTF-16 chars is it, its first chars for a dead-letter excerpt).
 *
 * <p>Why: a WAF record is ~1.2 KB, and turning each into a String on the hot path only to turn it
 * back into bytes for the JSON parser would copy every record twice. The answers here are defined to equal those of the String
 * made by {@code new String(b, from, to - from, UTF_8)} (e.g. {@link Character#isWhitespace} on its
 * chars), so the byte path and the String path behave the same. Every method but {@link #validate}
 * assumes the range is valid UTF-8, which {@link RecordDecoder} checks once per record.
 */
final class Utf8Text {
    private Utf8Text() {}

    /**
     * Throws {@code undecodable_record} unless {@code b[from, to)} is well-formed UTF-8 exactly as
     * the JDK's strict decoder defines it (no overlong forms, no encoded surrogates, nothing above
     * U+10FFFF, no truncated sequence). The detail names the index in {@code b} of the first byte of
     * the bad sequence, as the JDK decoder's position did. ASCII, the usual case, is
     * checked eight bytes at a time.
     */
    static void validate(byte[] b, int from, int to) throws LogParseException {
        // Back to the word scan after every non-ASCII character, not only before the first one.
        int i = ByteScan.firstNonAscii(b, from, to);
        while (i < to) {
            int n = sequenceLength(b, i, to);
            if (n == 0) {
                throw new LogParseException(DeadLetterReason.UNDECODABLE_RECORD, "invalid UTF-8 at byte " + i);
            }
            i = ByteScan.firstNonAscii(b, i + n, to);
        }
    }

    /** Length of the well-formed sequence starting with the non-ASCII byte at {@code i}, or 0. */
    private static int sequenceLength(byte[] b, int i, int to) {
        int c = b[i] & 0xFF;
        if (c < 0xC2) return 0; // continuation byte, or overlong 2-byte lead C0/C1
        if (c < 0xE0) return i + 1 < to && isContinuation(b[i + 1]) ? 2 : 0;
        if (c < 0xF0) {
            if (i + 2 >= to) return 0;
            int c1 = b[i + 1] & 0xFF;
            // E0 needs A0..BF (else overlong), ED needs 80..9F (else a UTF-16 surrogate).
            int lo = c == 0xE0 ? 0xA0 : 0x80;
            int hi = c == 0xED ? 0x9F : 0xBF;
            return c1 >= lo && c1 <= hi && isContinuation(b[i + 2]) ? 3 : 0;
        }
        if (c < 0xF5) {
            if (i + 3 >= to) return 0;
            int c1 = b[i + 1] & 0xFF;
            // F0 needs 90..BF (else overlong), F4 needs 80..8F (else above U+10FFFF).
            int lo = c == 0xF0 ? 0x90 : 0x80;
            int hi = c == 0xF4 ? 0x8F : 0xBF;
            return c1 >= lo && c1 <= hi && isContinuation(b[i + 2]) && isContinuation(b[i + 3]) ? 4 : 0;
        }
        return 0;
    }

    private static boolean isContinuation(byte x) {
        return (x & 0xC0) == 0x80;
    }

    /**
     * Index of the first byte in {@code [from, to)} that does not start a char for which
     * {@link Character#isWhitespace} holds, or {@code to}. Non-ASCII whitespace (U+2003, U+3000…)
     * counts, as it does for the String of the line.
     */
    static int skipWhitespace(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            int c = b[i];
            if (c >= 0) {
                if (!Character.isWhitespace(c)) return i;
                i++;
            } else {
                int n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
                // Every whitespace code point is in the BMP; a 4-byte sequence never is one. The
                // bounds check only matters for invalid input, which must not throw here either.
                if (n == 4 || i + n > to || !Character.isWhitespace(codePoint(b, i, n))) return i;
                i += n;
            }
        }
        return to;
    }

    private static int codePoint(byte[] b, int i, int n) {
        if (n == 2) return (b[i] & 0x1F) << 6 | (b[i + 1] & 0x3F);
        return (b[i] & 0x0F) << 12 | (b[i + 1] & 0x3F) << 6 | (b[i + 2] & 0x3F);
    }

    /**
     * The UTF-16 length of the text, i.e. {@code String.length()} of it: one char per sequence, two
     * for a 4-byte one (a surrogate pair).
     */
    static int charCount(byte[] b, int from, int to) {
        int chars = 0;
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xFF;
            if ((c & 0xC0) != 0x80) chars++; // not a continuation byte: a new code point
            if (c >= 0xF0) chars++;
        }
        return chars;
    }

    /**
     * At least the first {@code minChars} chars of the text (all of it if shorter), cut at a code
     * point boundary, decoding no more than is needed for that: for a dead-letter excerpt of a line
     * that may be 64K chars long.
     */
    static String prefix(byte[] b, int from, int to, int minChars) {
        // A char takes at most 3 bytes (a 4-byte sequence gives 2 chars), so 3 * minChars + 3 bytes
        // cut back to a boundary hold at least minChars chars.
        long want = 3L * minChars + 3;
        int end = to;
        if (to - from > want) {
            end = from + (int) want;
            while (end > from && (b[end] & 0xC0) == 0x80) end--;
        }
        return new String(b, from, end - from, StandardCharsets.UTF_8);
    }

    static String decode(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }
}
