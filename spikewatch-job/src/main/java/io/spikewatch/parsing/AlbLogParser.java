package io.spikewatch.parsing;

import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.DeadLetterReason;
import io.spikewatch.records.LogSource;

import java.io.Serializable;

/**
 * Parses one Application Load Balancer access-log entry (the space-separated format documented in
 * "Access log entries for your Application Load Balancer") into an {@link AccessEvent} with
 * {@code source = ALB}.
 *
 * <p>Input: one line
 * {@code type time elb client:port target:port request_processing_time target_processing_time
 * response_processing_time elb_status_code target_status_code received_bytes sent_bytes "request"
 * "user_agent" ssl_cipher ssl_protocol target_group_arn "trace_id" "domain_name" "chosen_cert_arn"
 * matched_rule_priority request_creation_time "actions_executed" "redirect_url" "error_reason"
 * "target:port_list" "target_status_code_list" "classification" "classification_reason"
 * conn_trace_id …}. Output: the event, or a {@link LogParseException} with {@code ALB_TRUNCATED}
 * (too few fields, unbalanced quotes) or {@code ALB_INVALID_FIELD} (type, time, client:port or
 * elb_status_code unusable; the detail names the field).
 *
 * <p>Mapping: time (ISO-8601 UTC with microseconds) → timestamp in ms (truncated); client → clientIp
 * (IPv4 {@code a.b.c.d:port}; IPv6 either bare {@code 2001:db8::1:port}, where the last colon
 * separates the port, or {@code [2001:db8::1]:port}; canonicalized by {@link ClientIp});
 * elb_status_code → status ({@code -} becomes 0); request {@code "GET https://host:443/p?q HTTP/1.1"} →
 * method, host (URL authority without userinfo and port) and uri (path without query); user_agent →
 * userAgent; trace_id → requestId; elb → resource. {@code -} means empty and becomes null.
 * action is derived: {@code BLOCK} when actions_executed lists {@code waf} but not {@code forward}
 * and elb_status_code is 403 (the load balancer's WAF integration answered instead of a target),
 * otherwise {@code ALLOW}. country and terminatingRule stay null (enrichment adds country).
 *
 * <p>Tokenizer: one hand-written pass, no regex and no {@code split}, because this runs per request.
 * Fields are separated by spaces; a field starting with {@code "} runs to the next unescaped
 * {@code "} ({@code \"} and {@code \\} are escapes). Quote balance is checked over the whole line,
 * but only the fields we map are materialized as strings. Fields after the ones we know are
 * ignored: AWS appends new fields at the end over time (conn_trace_id, transformed host/uri, …).
 *
 * <p>Allocation per line is the event and the strings it keeps: the field bounds are scratch
 * arrays of the instance, the request is read where it stands in the line, methods are constants,
 * and the load balancer and host, which repeat from line to line, are handed out again
 * ({@link RepeatedText}) rather than cut out of every line.
 *
 * <p>Not thread-safe: one instance per thread (each {@link LogLineParser}, so each parsing
 * subtask, has its own).
 */
public class AlbLogParser implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final int F_TYPE = 0;
    private static final int F_TIME = 1;
    private static final int F_ELB = 2;
    private static final int F_CLIENT = 3;
    private static final int F_ELB_STATUS = 8;
    private static final int F_REQUEST = 12;
    private static final int F_USER_AGENT = 13;
    private static final int F_TRACE_ID = 17;
    private static final int F_ACTIONS = 22;

    /**
     * Fields required: through actions_executed (index 22), and no further. Older logs end there or
     * shortly after: redirect_url/error_reason, the target lists and classification fields were added
     * in later years, and we map none of them. actions_executed itself is needed to derive the action.
     */
    static final int REQUIRED_FIELDS = F_ACTIONS + 1;

    /** The documented values of the {@code type} field, also used for format detection. */
    static final String[] TYPES = {"http", "https", "h2", "grpcs", "ws", "wss"};

    /** Request methods returned as these constants, so events do not each hold a copy. */
    private static final String[] METHODS = {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE"};

    /**
     * A field's last text, handed out again while the field repeats: the same characters are the
     * same value. Cutting the load balancer's name (~40 characters) and the host out of every line
     * would allocate new strings per line for values that rarely change.
     */
    private static final class RepeatedText {
        /** Longer values are cut out every time (they are not worth keeping). */
        static final int MAX_CHARS = 256;
        private String text;

        String value(String line, int s, int e) {
            int n = e - s;
            String last = text;
            if (last != null && last.length() == n && line.regionMatches(s, last, 0, n)) return last;
            String value = line.substring(s, e);
            if (n <= MAX_CHARS) text = value;
            return value;
        }
    }

    /** Scratch for the field bounds; null until the first line (and after deserialization). */
    private transient int[] fieldStarts;
    private transient int[] fieldEnds;
    private transient RepeatedText loadBalancers;
    private transient RepeatedText hosts;

    public AccessEvent parse(String line) throws LogParseException {
        if (line == null) throw truncated("no input");
        if (fieldStarts == null) {
            fieldStarts = new int[REQUIRED_FIELDS];
            fieldEnds = new int[REQUIRED_FIELDS];
            loadBalancers = new RepeatedText();
            hosts = new RepeatedText();
        }
        int[] start = fieldStarts;
        int[] end = fieldEnds;
        // Writes the bounds of every required field, or throws: nothing of an earlier line is read.
        long escaped = tokenize(line, start, end);

        AccessEvent e = new AccessEvent();
        e.source = LogSource.ALB;
        if (!isKnownType(line, start[F_TYPE], end[F_TYPE])) {
            throw invalidField("type", line, start[F_TYPE], end[F_TYPE]);
        }
        long ts = parseIsoMillis(line, start[F_TIME], end[F_TIME]);
        if (ts == Long.MIN_VALUE) throw invalidField("time", line, start[F_TIME], end[F_TIME]);
        e.timestamp = ts;
        e.resource = isPlain(line, start, end, escaped, F_ELB)
                ? loadBalancers.value(line, start[F_ELB], end[F_ELB]) : value(line, start, end, escaped, F_ELB);
        e.clientIp = clientIp(line, start[F_CLIENT], end[F_CLIENT]);
        e.status = status(line, start[F_ELB_STATUS], end[F_ELB_STATUS]);
        if (isPlain(line, start, end, escaped, F_REQUEST)) {
            parseRequest(line, start[F_REQUEST], end[F_REQUEST], e);
        } else {
            String request = value(line, start, end, escaped, F_REQUEST);
            if (request != null) parseRequest(request, 0, request.length(), e);
        }
        e.userAgent = value(line, start, end, escaped, F_USER_AGENT);
        e.requestId = value(line, start, end, escaped, F_TRACE_ID);
        e.action = deriveAction(line, start[F_ACTIONS], end[F_ACTIONS], e.status);
        return e;
    }

    /**
     * Splits the line into fields, recording content bounds (without quotes) of the first
     * {@link #REQUIRED_FIELDS}. Returns a bit set of those fields that contain a backslash (need
     * unescaping). Leading and trailing whitespace and runs of spaces are tolerated.
     */
    private static long tokenize(String line, int[] start, int[] end) throws LogParseException {
        // Delimiters are found with String.indexOf, which the JVM vectorizes, rather than a charAt
        // per character, which is measurable on the ALB parse thread. Backslashes are
        // tracked with one forward-moving position, so the line is still scanned about once.
        int len = line.length();
        while (len > 0 && line.charAt(len - 1) <= ' ') len--;
        int i = 0;
        while (i < len && line.charAt(i) <= ' ') i++;
        int n = 0;
        long escaped = 0;
        int nextBackslash = -2; // not looked up yet; -1: none left
        while (i < len) {
            char c = line.charAt(i);
            if (c == ' ') {
                i++;
                continue;
            }
            int s;
            int e;
            boolean esc = false;
            if (c == '"') {
                s = i + 1;
                int j = s;
                while (true) {
                    int q = line.indexOf('"', j);
                    if (q < 0 || q >= len) throw truncated("unbalanced quote in field " + (n + 1));
                    // A quote after an odd number of backslashes is escaped; after an even number it closes.
                    int k = q;
                    while (k > s && line.charAt(k - 1) == '\\') k--;
                    if (((q - k) & 1) == 0) {
                        j = q;
                        break;
                    }
                    j = q + 1;
                }
                e = j;
                if (nextBackslash != -1 && nextBackslash < s) nextBackslash = line.indexOf('\\', s);
                esc = nextBackslash >= 0 && nextBackslash < e;
                i = j + 1;
                if (i < len && line.charAt(i) != ' ') {
                    throw truncated("unbalanced quote: text after closing quote of field " + (n + 1));
                }
            } else {
                int j = line.indexOf(' ', i);
                if (j < 0 || j > len) j = len;
                s = i;
                e = j;
                i = j;
            }
            if (n < REQUIRED_FIELDS) {
                start[n] = s;
                end[n] = e;
                if (esc) escaped |= 1L << n;
            }
            n++;
        }
        if (n < REQUIRED_FIELDS) {
            throw truncated(n + " fields, need at least " + REQUIRED_FIELDS + " (through actions_executed)");
        }
        return escaped;
    }

    /** Whether the field is neither empty, {@code -} nor escaped: its text is the line's as it stands. */
    private static boolean isPlain(String line, int[] start, int[] end, long escaped, int field) {
        int s = start[field];
        int e = end[field];
        return (escaped & (1L << field)) == 0 && e > s && !(e - s == 1 && line.charAt(s) == '-');
    }

    /** Field text, unescaped if needed; {@code -} (the log's "empty") gives null. */
    private static String value(String line, int[] start, int[] end, long escaped, int field) {
        int s = start[field];
        int e = end[field];
        if (e == s || (e - s == 1 && line.charAt(s) == '-')) return null;
        if ((escaped & (1L << field)) == 0) return line.substring(s, e);
        StringBuilder sb = new StringBuilder(e - s);
        for (int k = s; k < e; k++) {
            char c = line.charAt(k);
            if (c == '\\' && k + 1 < e) {
                char next = line.charAt(k + 1);
                if (next == '"' || next == '\\') {
                    sb.append(next);
                    k++;
                    continue;
                }
            }
            sb.append(c);
        }
        String v = sb.toString();
        return v.equals("-") ? null : v;
    }

    private static boolean isKnownType(String line, int s, int e) {
        for (String t : TYPES) {
            if (t.length() == e - s && line.startsWith(t, s)) return true;
        }
        return false;
    }

    /**
     * {@code ip:port}, {@code [v6]:port} or bare {@code v6:port} (the last colon separates the
     * port; ALB always logs one). The port must be a number up to 65535.
     */
    private static String clientIp(String line, int s, int e) throws LogParseException {
        int ipStart;
        int ipEnd;
        int portStart;
        if (s < e && line.charAt(s) == '[') {
            int close = line.indexOf(']', s);
            if (close < 0 || close >= e || close + 1 >= e || line.charAt(close + 1) != ':') {
                throw invalidField("client:port", line, s, e);
            }
            ipStart = s + 1;
            ipEnd = close;
            portStart = close + 2;
        } else {
            int colon = line.lastIndexOf(':', e - 1);
            if (colon < s) throw invalidField("client:port", line, s, e);
            ipStart = s;
            ipEnd = colon;
            portStart = colon + 1;
        }
        int port = parseNumber(line, portStart, e, 5);
        if (port < 0 || port > 65535) throw invalidField("client:port", line, s, e);
        String ip = ClientIp.canonical(line.substring(ipStart, ipEnd));
        if (ip == null) throw invalidField("client:port", line, s, e);
        return ip;
    }

    private static int status(String line, int s, int e) throws LogParseException {
        if (e - s == 1 && line.charAt(s) == '-') return 0;
        int v = parseNumber(line, s, e, 3);
        if (v < 0) throw invalidField("elb_status_code", line, s, e);
        return v;
    }

    /** Decimal digits only, 1..maxDigits of them; -1 otherwise. */
    private static int parseNumber(String line, int s, int e, int maxDigits) {
        if (e <= s || e - s > maxDigits) return -1;
        int v = 0;
        for (int k = s; k < e; k++) {
            char c = line.charAt(k);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * {@code METHOD URL PROTOCOL}. The URL is taken between the first and the last space so that a
     * URL with an (invalid) space still keeps method and protocol apart. Malformed requests are
     * logged with {@code -} parts, e.g. {@code "- http://host:80- -"}: those parts become null.
     */
    private void parseRequest(String r, int from, int to, AccessEvent e) {
        int len = to;
        while (len > from && r.charAt(len - 1) == ' ') len--;
        int first = r.indexOf(' ', from);
        if (first < 0 || first >= len) {
            e.method = method(r, from, len);
            return;
        }
        e.method = method(r, from, first);
        int last = r.lastIndexOf(' ', len - 1); // >= first
        int urlEnd = last > first ? last : len;
        int urlStart = first + 1;
        while (urlStart < urlEnd && r.charAt(urlStart) == ' ') urlStart++;
        while (urlEnd > urlStart && r.charAt(urlEnd - 1) == ' ') urlEnd--;
        parseUrl(r, urlStart, urlEnd, e);
    }

    /** {@code r[s, e)} as a method: a constant when it is a common one; empty or {@code -} gives null. */
    private static String method(String r, int s, int e) {
        int n = e - s;
        if (n == 0 || (n == 1 && r.charAt(s) == '-')) return null;
        for (String m : METHODS) {
            if (m.length() == n && r.startsWith(m, s)) return m;
        }
        return r.substring(s, e);
    }

    /**
     * Absolute URL {@code scheme://[userinfo@]host[:port]/path?query#fragment} → host, uri (path).
     * Without a scheme the whole URL is treated as the path (origin form). A URL with no path
     * (ALB writes {@code http://host:80-} when it could not parse the request) has a null uri.
     */
    private void parseUrl(String r, int s, int e, AccessEvent ev) {
        if (e <= s || (e - s == 1 && r.charAt(s) == '-')) return;
        int pathStart = s;
        // The scheme's characters, then "://" (r may be the whole line: nothing past e is read).
        int sep = s;
        while (sep < e && isSchemeChar(r.charAt(sep), sep == s)) sep++;
        if (sep > s && sep + 3 <= e && r.startsWith("://", sep)) {
            int authStart = sep + 3;
            int authEnd = authStart;
            while (authEnd < e) {
                char c = r.charAt(authEnd);
                if (c == '/' || c == '?' || c == '#') break;
                authEnd++;
            }
            ev.host = host(r, authStart, authEnd);
            pathStart = authEnd;
        }
        int pathEnd = pathStart;
        while (pathEnd < e) {
            char c = r.charAt(pathEnd);
            if (c == '?' || c == '#') break;
            pathEnd++;
        }
        if (pathEnd > pathStart && !(pathEnd - pathStart == 1 && r.charAt(pathStart) == '-')) {
            ev.uri = r.substring(pathStart, pathEnd);
        }
    }

    private static boolean isSchemeChar(char c, boolean first) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || (!first && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
    }

    /** Authority without userinfo and port; an IPv6 literal keeps its brackets, as in a Host header. */
    private String host(String r, int s, int e) {
        // The last '@' and the last ':' after it, searched within r[s, e) only.
        int colon = -1;
        for (int k = s; k < e; k++) {
            char c = r.charAt(k);
            if (c == '@') {
                s = k + 1;
                colon = -1;
            } else if (c == ':') {
                colon = k;
            }
        }
        int hostEnd = e;
        if (s < e && r.charAt(s) == '[') {
            int close = r.indexOf(']', s);
            if (close >= 0 && close < e) hostEnd = close + 1;
        } else if (colon >= s) {
            hostEnd = colon;
        }
        if (hostEnd <= s || (hostEnd - s == 1 && r.charAt(s) == '-')) return null;
        return hosts.value(r, s, hostEnd);
    }

    /** Comma-separated actions_executed, e.g. {@code waf,forward}; token match, not substring. */
    private static String deriveAction(String line, int s, int e, int status) {
        if (status != 403) return "ALLOW";
        boolean waf = false;
        boolean forward = false;
        int k = s;
        while (k < e) {
            int comma = line.indexOf(',', k);
            int tokEnd = comma < 0 || comma >= e ? e : comma;
            int a = k;
            int b = tokEnd;
            while (a < b && line.charAt(a) == ' ') a++;
            while (b > a && line.charAt(b - 1) == ' ') b--;
            if (b - a == 3 && line.startsWith("waf", a)) waf = true;
            if (b - a == 7 && line.startsWith("forward", a)) forward = true;
            k = tokEnd + 1;
        }
        return waf && !forward ? "BLOCK" : "ALLOW";
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} → epoch milliseconds (fraction truncated), or
     * {@link Long#MIN_VALUE} when malformed. Hand-written because java.time parsing allocates
     * several objects per call and this runs for every request.
     */
    static long parseIsoMillis(String s, int from, int to) {
        if (to - from < 20) return Long.MIN_VALUE;
        int year = digits(s, from, 4);
        int month = digits(s, from + 5, 2);
        int day = digits(s, from + 8, 2);
        int hour = digits(s, from + 11, 2);
        int minute = digits(s, from + 14, 2);
        int second = digits(s, from + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59
                || s.charAt(from + 4) != '-' || s.charAt(from + 7) != '-' || s.charAt(from + 10) != 'T'
                || s.charAt(from + 13) != ':' || s.charAt(from + 16) != ':'
                || day > daysInMonth(year, month)) {
            return Long.MIN_VALUE;
        }
        int i = from + 19;
        int millis = 0;
        if (s.charAt(i) == '.') {
            i++;
            int fracStart = i;
            while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                if (i - fracStart < 3) millis = millis * 10 + (s.charAt(i) - '0');
                i++;
            }
            int n = i - fracStart;
            if (n == 0 || n > 9) return Long.MIN_VALUE;
            for (int k = n; k < 3; k++) millis *= 10;
        }
        if (i != to - 1 || s.charAt(i) != 'Z') return Long.MIN_VALUE;
        long days = daysFromCivil(year, month, day);
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int k = from; k < from + count; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    private static long daysFromCivil(int y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    private static LogParseException truncated(String detail) {
        return new LogParseException(DeadLetterReason.ALB_TRUNCATED, detail);
    }

    private static LogParseException invalidField(String field, String line, int s, int e) {
        int shown = Math.min(e, s + 64);
        if (shown < e && Character.isHighSurrogate(line.charAt(shown - 1))) shown--;
        return new LogParseException(DeadLetterReason.ALB_INVALID_FIELD,
                "invalid " + field + ": " + line.substring(s, shown));
    }
}
