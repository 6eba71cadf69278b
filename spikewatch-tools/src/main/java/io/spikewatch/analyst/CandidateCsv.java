package io.spikewatch.analyst;

import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Renders deny-list candidates as CSV (RFC 4180: fields with a comma, quote or line break are
 * quoted, quotes doubled). Fields are cleaned with {@link DisplayText} and every field a spreadsheet
 * would read as a formula (starting with {@code = + - @}, tab or carriage return) is prefixed with a
 * single quote, so opening the file in a spreadsheet never evaluates attacker-chosen text.
 */
public final class CandidateCsv {
    public static final String HEADER =
            "ip,country,reason,first_seen,last_seen,incidents,max_severity,max_blocked_share,suggested_expiry";
    private static final int MAX_FIELD_CHARS = 1000;

    private CandidateCsv() {}

    public static String render(List<DenyCandidate> candidates) {
        StringBuilder b = new StringBuilder(HEADER).append("\r\n");
        for (DenyCandidate c : candidates) {
            b.append(field(c.ip())).append(',')
                    .append(field(c.country())).append(',')
                    .append(field(c.reasonText())).append(',')
                    .append(field(DateTimeFormatter.ISO_INSTANT.format(c.firstSeen()))).append(',')
                    .append(field(DateTimeFormatter.ISO_INSTANT.format(c.lastSeen()))).append(',')
                    .append(c.incidents()).append(',')
                    .append(field(c.maxSeverity())).append(',')
                    .append(String.format(java.util.Locale.ROOT, "%.3f", c.maxBlockedShare())).append(',')
                    .append(field(DateTimeFormatter.ISO_INSTANT.format(c.suggestedExpiry()))).append("\r\n");
        }
        return b.toString();
    }

    /** One CSV field: cleaned, formula-neutralised, quoted when needed. */
    public static String field(String value) {
        String s = DisplayText.clean(value, MAX_FIELD_CHARS);
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) s = "'" + s;
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            s = '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
