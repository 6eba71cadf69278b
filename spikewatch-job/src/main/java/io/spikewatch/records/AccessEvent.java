package io.spikewatch.records;

import java.util.Objects;

/**
 * One normalized HTTP request, parsed from a WAF or ALB log line and enriched.
 *
 * <p>A mutable POJO with public fields so that Flink serializes it with its POJO serializer
 * (no Kryo) and parsers can fill it without builders. Strings are as they appeared in the log
 * (attacker-controlled: every renderer must escape and cap them); {@code null} means absent.
 */
public class AccessEvent {
    /** Request time, epoch milliseconds (UTC). */
    public long timestamp;
    public LogSource source;
    /** Client address as text (IPv4 dotted or IPv6), never null on a parsed event. */
    public String clientIp;
    /** ISO 3166-1 alpha-2 country, upper case, or null when unknown. */
    public String country;
    /** WAF action (ALLOW, BLOCK, COUNT, CAPTCHA, CHALLENGE); for ALB derived from status and actions. */
    public String action;
    /** HTTP status sent to the client; 0 when the log does not say (WAF allow without custom response). */
    public int status;
    public String method;
    public String host;
    public String uri;
    public String userAgent;
    /** WAF terminating rule id, or null. For ALB: null. */
    public String terminatingRule;
    /** WAF `httpRequest.requestId` or ALB `trace_id`. */
    public String requestId;
    /** WAF web ACL ARN/name, or ALB load balancer resource id. */
    public String resource;

    // Set by enrichment.
    /** True when the country is in the configured home-country list. */
    public boolean domestic;
    /** True when the client IP is in an allowlisted CIDR: counted, never alerted on. */
    public boolean allowlisted;

    public AccessEvent() {}

    public boolean isBlocked() {
        return "BLOCK".equals(action);
    }

    public boolean isClientError() {
        return status >= 400 && status < 500;
    }

    public boolean isServerError() {
        return status >= 500 && status < 600;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof AccessEvent e)) return false;
        return timestamp == e.timestamp && status == e.status && domestic == e.domestic
                && allowlisted == e.allowlisted && source == e.source
                && Objects.equals(clientIp, e.clientIp) && Objects.equals(country, e.country)
                && Objects.equals(action, e.action) && Objects.equals(method, e.method)
                && Objects.equals(host, e.host) && Objects.equals(uri, e.uri)
                && Objects.equals(userAgent, e.userAgent)
                && Objects.equals(terminatingRule, e.terminatingRule)
                && Objects.equals(requestId, e.requestId) && Objects.equals(resource, e.resource);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timestamp, source, clientIp, requestId);
    }

    @Override
    public String toString() {
        return "AccessEvent{" + source + " " + timestamp + " " + clientIp + " " + country + " " + action
                + " " + status + " " + method + " " + host + " " + uri + "}";
    }
}
