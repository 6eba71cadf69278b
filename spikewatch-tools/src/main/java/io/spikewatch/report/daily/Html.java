package io.spikewatch.report.daily;

import io.spikewatch.analyst.DisplayText;

import java.util.Locale;

/**
 * HTML escaping for the report. Every value from the documents goes through {@link #value} or
 * {@link #text}: cleaned of control and bidi characters ({@link DisplayText}), capped, then
 * escaped for both text and attribute context ({@code & < > " '}), so data can neither open a tag
 * nor leave an attribute.
 */
final class Html {
    /** Characters of a value shown in a table cell; the full value (up to {@link #TITLE_CHARS}) is in the tooltip. */
    static final int SHOWN_CHARS = 60;
    static final int TITLE_CHARS = 1024;

    private Html() {}

    static String escape(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A data value as escaped text, capped at {@code max} characters. */
    static String text(String raw, int max) {
        return escape(DisplayText.clean(raw, max));
    }

    /** A data value in a {@code <span class="v">}, cut at {@link #SHOWN_CHARS} with the longer value in its {@code title}. */
    static String value(String raw) {
        return value(raw, SHOWN_CHARS);
    }

    static String value(String raw, int shown) {
        String shortText = DisplayText.clean(raw, shown);
        String longText = DisplayText.clean(raw, TITLE_CHARS);
        if (shortText.equals(longText)) return "<span class=\"v\">" + escape(shortText) + "</span>";
        return "<span class=\"v\" title=\"" + escape(longText) + "\">" + escape(shortText) + "</span>";
    }

    static String num(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String pct(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    static String share(long part, long whole) {
        return whole == 0 ? "–" : pct((double) part / whole);
    }
}
