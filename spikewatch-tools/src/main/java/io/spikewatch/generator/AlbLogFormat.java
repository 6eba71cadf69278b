package io.spikewatch.generator;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Formats a request as one Application Load Balancer access-log entry: the documented
 * space-separated fields from {@code type} through {@code classification_reason} and
 * {@code conn_trace_id} (30 fields), with {@code "-"} for empty values and {@code -1} timings.
 *
 * <p>The load balancer sits behind WAF ({@code actions_executed} {@code waf,forward}); a request WAF
 * blocked shows {@code waf} only, status 403, no target and {@code -1 -1 -1} timings. IPv6 clients
 * are written {@code addr:port} without brackets, as ALB does. {@code time} is when the response
 * finished, {@code request_creation_time} when the request arrived (= the WAF timestamp).
 */
final class AlbLogFormat {
    static final String LOAD_BALANCER = "app/spikewatch-alb/50dc6c495c0c9188";
    static final String[] TARGETS = {"10.0.1.23:8080", "10.0.2.57:8080", "10.0.3.91:8080"};
    static final String TARGET_GROUP_ARN = "arn:aws:elasticloadbalancing:" + WafLogFormat.REGION + ":"
            + WafLogFormat.ACCOUNT + ":targetgroup/spikewatch-web/6d0ecf831eec9f09";
    static final String CERTIFICATE_ARN = "arn:aws:acm:" + WafLogFormat.REGION + ":" + WafLogFormat.ACCOUNT
            + ":certificate/9f8e7d6c-5b4a-4392-8e1f-0a1b2c3d4e5f";
    static final int FIELD_COUNT = 30;

    private final UtcTimeText time = new UtcTimeText();

    void append(StringBuilder sb, SyntheticRequest r) {
        boolean h2 = r.client.http2;
        boolean forwarded = r.target >= 0;
        sb.append(h2 ? "h2 " : "https ");
        time.append(sb, r.completedMicros);
        sb.append(' ').append(LOAD_BALANCER).append(' ').append(r.client.ip).append(':').append(r.clientPort)
                .append(' ').append(forwarded ? TARGETS[r.target] : "-").append(' ');
        seconds(sb, r.requestProcessingMicros).append(' ');
        seconds(sb, r.targetProcessingMicros).append(' ');
        seconds(sb, r.responseProcessingMicros).append(' ');
        sb.append(r.elbStatus).append(' ');
        if (r.targetStatus < 0) {
            sb.append('-');
        } else {
            sb.append(r.targetStatus);
        }
        sb.append(' ').append(r.receivedBytes).append(' ').append(r.sentBytes)
                .append(" \"").append(r.method).append(" https://").append(RequestFactory.HOST).append(":443");
        requestTarget(sb, r.uri);
        if (!r.args.isEmpty()) {
            sb.append('?');
            requestTarget(sb, r.args);
        }
        sb.append(h2 ? " HTTP/2.0\" \"" : " HTTP/1.1\" \"").append(r.userAgent == null ? "-" : r.userAgent)
                .append(r.client.tls13 ? "\" TLS_AES_128_GCM_SHA256 TLSv1.3 " : "\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 ")
                .append(forwarded ? TARGET_GROUP_ARN : "-")
                .append(" \"Root=");
        appendTraceRoot(sb, r);
        // A resumed TLS session has no certificate selection to report.
        boolean resumed = ((r.connection >>> 7) & 3) != 0;
        sb.append("\" \"").append(RequestFactory.HOST).append("\" \"").append(resumed ? "session-reused" : CERTIFICATE_ARN)
                .append("\" ").append(forwarded ? (r.uri.startsWith("/api/") ? "10" : "0") : "-").append(' ');
        time.append(sb, r.createdMillis * 1000);
        sb.append(forwarded ? " \"waf,forward\" \"-\" \"-\" \"" : " \"waf\" \"-\" \"-\" \"")
                .append(forwarded ? TARGETS[r.target] : "-").append("\" \"");
        if (r.targetStatus < 0) {
            sb.append('-');
        } else {
            sb.append(r.targetStatus);
        }
        sb.append("\" \"-\" \"-\" TID_");
        hex(sb, AddressPlan.mix(r.connection), 16);
        hex(sb, AddressPlan.mix(r.connection + 1), 16);
    }

    /**
     * A client cannot send a raw quote or space in a request target (browsers send {@code %22} and
     * {@code %20}); writing them raw would also break the quoted field, so they are percent-encoded.
     */
    private static void requestTarget(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                sb.append("%22");
            } else if (c == ' ') {
                sb.append("%20");
            } else {
                sb.append(c);
            }
        }
    }

    /** {@code 1-<8 hex epoch seconds>-<24 hex>}: the X-Amzn-Trace-Id root, shared by both logs. */
    static void appendTraceRoot(StringBuilder sb, SyntheticRequest r) {
        sb.append("1-");
        hex(sb, r.createdMillis / 1000, 8);
        sb.append('-');
        hex(sb, r.traceHigh, 16);
        hex(sb, r.traceLow, 8);
    }

    private static StringBuilder seconds(StringBuilder sb, long micros) {
        if (micros < 0) return sb.append("-1");
        long millis = (micros + 500) / 1000;
        sb.append(millis / 1000).append('.');
        long frac = millis % 1000;
        if (frac < 100) sb.append('0');
        if (frac < 10) sb.append('0');
        return sb.append(frac);
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    static void hex(StringBuilder sb, long value, int digits) {
        for (int i = digits - 1; i >= 0; i--) sb.append(HEX[(int) (value >>> (4 * i)) & 0xF]);
    }

    /**
     * {@code 2026-11-02T13:05:21.123456Z}; the date-time part of the current minute is cached because
     * consecutive entries almost always share it.
     */
    static final class UtcTimeText {
        private long cachedMinute = Long.MIN_VALUE;
        private String minutePrefix;

        void append(StringBuilder sb, long epochMicros) {
            long minute = Math.floorDiv(epochMicros, 60_000_000L);
            if (minute != cachedMinute) {
                LocalDateTime t = LocalDateTime.ofEpochSecond(minute * 60, 0, ZoneOffset.UTC);
                minutePrefix = String.format(java.util.Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:", t.getYear(), t.getMonthValue(),
                        t.getDayOfMonth(), t.getHour(), t.getMinute());
                cachedMinute = minute;
            }
            long inMinute = epochMicros - minute * 60_000_000L;
            long second = inMinute / 1_000_000;
            long micros = inMinute % 1_000_000;
            sb.append(minutePrefix);
            if (second < 10) sb.append('0');
            sb.append(second).append('.');
            for (long d = 100_000; d > 1 && micros < d; d /= 10) sb.append('0');
            sb.append(micros).append('Z');
        }
    }
}
