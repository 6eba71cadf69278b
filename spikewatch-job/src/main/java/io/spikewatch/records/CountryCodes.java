package io.spikewatch.records;

/**
 * One shared {@link String} per upper-case ISO 3166-1 alpha-2 code (AA..ZZ), so that every event,
 * observation and key state holding a country holds the same object for the same code.
 *
 * <p>Why: a country is read per event (the domestic check, the shuffle's serializer, the country
 * view's grouping) and kept per tracked IP. With a copy per source of the answer — the WAF parser,
 * the GeoIP lookup's cache slots (thousands of /24 blocks, each with its own string), the shuffle's
 * deserializer, a key state read from RocksDB — each of those reads would touch a cold copy. The
 * ~50 codes a deployment actually sees stay in cache when they are one object each, and
 * {@link String#equals} answers on identity for a home country. Held per process, at most 676
 * two-character strings.
 */
public final class CountryCodes {
    private CountryCodes() {}

    private static final String[] CODES = new String[26 * 26];

    static {
        for (int i = 0; i < CODES.length; i++) {
            CODES[i] = new String(new char[] {(char) ('A' + i / 26), (char) ('A' + i % 26)});
        }
    }

    /**
     * The shared code of two ASCII letters (either case, upper-cased), or null when either is not
     * an ASCII letter.
     */
    public static String of(int first, int second) {
        int a = upperLetterIndex(first);
        int b = upperLetterIndex(second);
        return a < 0 || b < 0 ? null : CODES[a * 26 + b];
    }

    /** The shared code of two upper-case ASCII letters, or null for anything else (lower case too). */
    public static String ofUpperCase(int first, int second) {
        boolean upper = first >= 'A' && first <= 'Z' && second >= 'A' && second <= 'Z';
        return upper ? CODES[(first - 'A') * 26 + (second - 'A')] : null;
    }

    /**
     * The shared string equal to {@code text} when it is an upper-case code, otherwise {@code text}
     * itself (null stays null): for text read back that is usually a code, without changing any
     * value.
     */
    public static String shared(String text) {
        if (text == null || text.length() != 2) return text;
        String code = ofUpperCase(text.charAt(0), text.charAt(1));
        return code != null ? code : text;
    }

    private static int upperLetterIndex(int c) {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a';
        return -1;
    }
}
