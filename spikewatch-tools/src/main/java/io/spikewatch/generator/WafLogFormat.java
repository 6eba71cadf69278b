package io.spikewatch.generator;

/**
 * Formats a request as one AWS WAF (v2) log record for a web ACL associated with an Application
 * Load Balancer: the JSON object AWS delivers, with AWS's field names and field order.
 *
 * <p>Blocked requests carry their terminating rule: rate-based rules with their entry in
 * {@code rateBasedRuleList}, managed rule groups with their entry in {@code ruleGroupList} and the
 * label they add. HTTP/2 requests have lower-case header names, as HTTP/2 sends them (WAF logs
 * headers as received; readers must compare names case-insensitively). A request without
 * User-Agent has no such header. {@code requestId} is the ALB trace id without its {@code Root=}.
 */
final class WafLogFormat {
    static final String ACCOUNT = "123456789012";
    static final String REGION = "us-east-1";
    static final String WEB_ACL_ARN = "arn:aws:wafv2:" + REGION + ":" + ACCOUNT
            + ":regional/webacl/spikewatch-web-acl/a1b2c3d4-5678-90ab-cdef-0123456789ab";
    static final String HTTP_SOURCE_ID = ACCOUNT + "-" + AlbLogFormat.LOAD_BALANCER;
    private static final String RATE_RULE_ARN = "arn:aws:wafv2:" + REGION + ":" + ACCOUNT
            + ":regional/ipset/RateLimitRule/7c1e9d52-3b4a-4f6e-9a8d-2b5c7e1f0a93";

    private WafLogFormat() {}

    static void append(StringBuilder sb, SyntheticRequest r) {
        WafRule rule = r.rule;
        sb.append("{\"timestamp\":").append(r.createdMillis)
                .append(",\"formatVersion\":1,\"webaclId\":\"").append(WEB_ACL_ARN)
                .append("\",\"terminatingRuleId\":\"").append(rule == null ? "Default_Action" : rule.terminatingRuleId)
                .append("\",\"terminatingRuleType\":\"").append(rule == null ? "REGULAR" : rule.terminatingRuleType)
                .append("\",\"action\":\"").append(rule == null ? "ALLOW" : "BLOCK")
                .append("\",\"terminatingRuleMatchDetails\":[],\"httpSourceName\":\"ALB\",\"httpSourceId\":\"")
                .append(HTTP_SOURCE_ID).append("\",\"ruleGroupList\":[");
        if (rule != null && rule.ruleGroupId != null) {
            sb.append("{\"ruleGroupId\":\"").append(rule.ruleGroupId)
                    .append("\",\"terminatingRule\":{\"ruleId\":\"").append(rule.groupRuleId)
                    .append("\",\"action\":\"BLOCK\",\"ruleMatchDetails\":null},\"nonTerminatingMatchingRules\":[],"
                            + "\"excludedRules\":null,\"customerConfig\":null}");
        }
        sb.append("],\"rateBasedRuleList\":[");
        if (rule == WafRule.RATE_LIMIT) {
            sb.append("{\"rateBasedRuleId\":\"").append(RATE_RULE_ARN)
                    .append("\",\"rateBasedRuleName\":\"RateLimitRule\",\"limitKey\":\"IP\",\"maxRateAllowed\":")
                    .append(WafRule.RATE_LIMIT_PER_5_MIN).append(",\"evaluationWindowSec\":\"300\"}");
        }
        sb.append("],\"nonTerminatingMatchingRules\":[],\"requestHeadersInserted\":null,\"responseCodeSent\":null,"
                + "\"httpRequest\":{\"clientIp\":\"").append(r.client.ip)
                .append("\",\"country\":\"").append(r.client.countryCode).append("\",\"headers\":[");
        boolean h2 = r.client.http2;
        header(sb, h2 ? "host" : "Host", RequestFactory.HOST);
        if (r.userAgent != null) {
            sb.append(',');
            header(sb, h2 ? "user-agent" : "User-Agent", r.userAgent);
        }
        sb.append(',');
        header(sb, h2 ? "accept" : "Accept", r.accept);
        sb.append("],\"uri\":");
        string(sb, r.uri);
        sb.append(",\"args\":");
        string(sb, r.args);
        sb.append(",\"httpVersion\":\"").append(h2 ? "HTTP/2.0" : "HTTP/1.1")
                .append("\",\"httpMethod\":\"").append(r.method)
                .append("\",\"requestId\":\"");
        AlbLogFormat.appendTraceRoot(sb, r);
        sb.append("\"}");
        if (rule != null && rule.label != null) {
            sb.append(",\"labels\":[{\"name\":\"").append(rule.label).append("\"}]");
        }
        sb.append('}');
    }

    private static void header(StringBuilder sb, String name, String value) {
        sb.append("{\"name\":\"").append(name).append("\",\"value\":");
        string(sb, value);
        sb.append('}');
    }

    /** A JSON string literal; escapes quotes, backslashes and control characters. */
    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append("\\u");
                String hex = Integer.toHexString(c);
                for (int k = hex.length(); k < 4; k++) sb.append('0');
                sb.append(hex);
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
