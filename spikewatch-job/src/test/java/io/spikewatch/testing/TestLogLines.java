package io.spikewatch.testing;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Minimal but format-faithful WAF JSON and ALB access-log lines for pipeline tests. */
public final class TestLogLines {
    private static final DateTimeFormatter ALB_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private TestLogLines() {}

    public static String waf(long ts, String ip, String country, String action, String uri, String requestId) {
        return "{\"timestamp\":" + ts + ",\"formatVersion\":1,"
                + "\"webaclId\":\"arn:aws:wafv2:us-east-1:123456789012:regional/webacl/test/1111\","
                + "\"terminatingRuleId\":\"" + ("BLOCK".equals(action) ? "RateLimitRule" : "Default_Action") + "\","
                + "\"terminatingRuleType\":\"REGULAR\",\"action\":\"" + action + "\","
                + "\"httpSourceName\":\"ALB\",\"httpSourceId\":\"123456789012-app/test/abc\","
                + "\"ruleGroupList\":[],\"rateBasedRuleList\":[],\"nonTerminatingMatchingRules\":[],"
                + "\"httpRequest\":{\"clientIp\":\"" + ip + "\",\"country\":\"" + country + "\","
                + "\"headers\":[{\"name\":\"Host\",\"value\":\"www.example.com\"},"
                + "{\"name\":\"User-Agent\",\"value\":\"Mozilla/5.0\"}],"
                + "\"uri\":\"" + uri + "\",\"args\":\"\",\"httpVersion\":\"HTTP/1.1\",\"httpMethod\":\"GET\","
                + "\"requestId\":\"" + requestId + "\"}}";
    }

    public static String alb(long ts, String ip, int status, String uri) {
        String t = ALB_TIME.format(Instant.ofEpochMilli(ts));
        return "https " + t + " app/test-lb/50dc6c495c0c9188 " + ip + ":2817 10.0.0.1:80 0.001 0.002 0.000 "
                + status + " " + status + " 120 512 \"GET https://www.example.com:443" + uri + " HTTP/1.1\" "
                + "\"Mozilla/5.0\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 "
                + "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/73e2d6bc24d8a067 "
                + "\"Root=1-58337281-1d84f3d73c47ec4e58577259\" \"www.example.com\" \"-\" 0 " + t
                + " \"forward\" \"-\" \"-\" \"10.0.0.1:80\" \"" + status + "\" \"-\" \"-\" TID_1234";
    }
}
