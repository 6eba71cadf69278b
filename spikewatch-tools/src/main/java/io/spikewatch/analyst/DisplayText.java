package io.spikewatch.analyst;

/**
 * Makes attacker-controlled log values (URIs, user agents, rule ids, keys, excerpts) safe to show:
 * control characters (C0, DEL, C1) and Unicode bidirectional formatting marks (which can reorder
 * what an analyst reads, e.g. RIGHT-TO-LEFT OVERRIDE) become visible {@code \}{@code uXXXX}
 * escapes, lone surrogates become U+FFFD, and the result is capped. Escaping for the output format
 * (HTML, CSV) is applied after this, by the writer of that format.
 */
public final class DisplayText {
    private DisplayText() {}

    /** Cleaned text, at most {@code maxChars} characters plus an ellipsis when cut; null reads as "". */
    public static String clean(String s, int maxChars) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(Math.min(s.length(), maxChars) + 8);
        for (int i = 0; i < s.length(); i++) {
            if (b.length() >= maxChars) {
                b.append('…');
                break;
            }
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                b.append('\uFFFD');
            } else if (isControl(c) || isBidiFormat(c)) {
                b.append(String.format("\\u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F);
    }

    static boolean isBidiFormat(char c) {
        return c == '\u200E' || c == '\u200F' || c == '\u061C' || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069');
    }
}
