package io.spikewatch.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Golden lines: the exact text both formats produce for hand-built requests. */
class LogFormatTest {
    static final long CREATED = Instant.parse("2026-11-02T13:05:21.123Z").toEpochMilli();

    static SyntheticRequest allowed() {
        Client c = new Client(7, "203.0.113.7", 3, "BR", false, "curl/8.5.0", false, false, false);
        SyntheticRequest r = new SyntheticRequest();
        r.client = c;
        r.clientPort = 51234;
        r.createdMillis = CREATED;
        r.completedMicros = CREATED * 1000 + 46_789;
        r.method = "GET";
        r.uri = "/search";
        r.args = "q=a\"b";
        r.accept = "*/*";
        r.userAgent = "curl/8.5.0";
        r.elbStatus = 200;
        r.targetStatus = 200;
        r.requestProcessingMicros = 700;
        r.targetProcessingMicros = 45_000;
        r.responseProcessingMicros = 40;
        r.receivedBytes = 312;
        r.sentBytes = 15234;
        r.target = 1;
        r.traceHigh = 0x0123456789abcdefL;
        r.traceLow = 0x01234567;
        r.connection = 0; // (0 >>> 7) & 3 == 0: a new TLS session, so the certificate is named
        return r;
    }

    @Test
    void allowedRequestInBothFormats() {
        SyntheticRequest r = allowed();
        StringBuilder waf = new StringBuilder();
        WafLogFormat.append(waf, r);
        assertThat(waf.toString()).isEqualTo("{\"timestamp\":" + CREATED + ",\"formatVersion\":1,"
                + "\"webaclId\":\"arn:aws:wafv2:us-east-1:123456789012:regional/webacl/spikewatch-web-acl/a1b2c3d4-5678-90ab-cdef-0123456789ab\","
                + "\"terminatingRuleId\":\"Default_Action\",\"terminatingRuleType\":\"REGULAR\",\"action\":\"ALLOW\","
                + "\"terminatingRuleMatchDetails\":[],\"httpSourceName\":\"ALB\","
                + "\"httpSourceId\":\"123456789012-app/spikewatch-alb/50dc6c495c0c9188\",\"ruleGroupList\":[],"
                + "\"rateBasedRuleList\":[],\"nonTerminatingMatchingRules\":[],\"requestHeadersInserted\":null,"
                + "\"responseCodeSent\":null,\"httpRequest\":{\"clientIp\":\"203.0.113.7\",\"country\":\"BR\","
                + "\"headers\":[{\"name\":\"Host\",\"value\":\"shop.example.com\"},{\"name\":\"User-Agent\",\"value\":\"curl/8.5.0\"},"
                + "{\"name\":\"Accept\",\"value\":\"*/*\"}],\"uri\":\"/search\",\"args\":\"q=a\\\"b\",\"httpVersion\":\"HTTP/1.1\","
                + "\"httpMethod\":\"GET\",\"requestId\":\"1-6ae88a91-0123456789abcdef01234567\"}}");

        StringBuilder alb = new StringBuilder();
        new AlbLogFormat().append(alb, r);
        assertThat(alb.toString()).isEqualTo("https 2026-11-02T13:05:21.169789Z app/spikewatch-alb/50dc6c495c0c9188 "
                + "203.0.113.7:51234 10.0.2.57:8080 0.001 0.045 0.000 200 200 312 15234 "
                + "\"GET https://shop.example.com:443/search?q=a%22b HTTP/1.1\" \"curl/8.5.0\" "
                + "ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 "
                + "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/spikewatch-web/6d0ecf831eec9f09 "
                + "\"Root=1-6ae88a91-0123456789abcdef01234567\" \"shop.example.com\" "
                + "\"arn:aws:acm:us-east-1:123456789012:certificate/9f8e7d6c-5b4a-4392-8e1f-0a1b2c3d4e5f\" 0 "
                + "2026-11-02T13:05:21.123000Z \"waf,forward\" \"-\" \"-\" \"10.0.2.57:8080\" \"200\" \"-\" \"-\" "
                + "TID_" + hex(io.spikewatch.generator.AddressPlan.mix(0)) + hex(io.spikewatch.generator.AddressPlan.mix(1)));
    }

    @Test
    void blockedHttp2RequestWithoutUserAgent() {
        SyntheticRequest r = allowed();
        r.client = new Client(8, "2a02:1234::1", 5, "DE", false, null, true, true, false);
        r.userAgent = null;
        r.rule = WafRule.CRS_NO_USER_AGENT;
        r.elbStatus = 403;
        r.targetStatus = -1;
        r.target = -1;
        r.requestProcessingMicros = -1;
        r.targetProcessingMicros = -1;
        r.responseProcessingMicros = -1;
        r.args = "";
        r.connection = 1L << 7; // resumed TLS session

        StringBuilder waf = new StringBuilder();
        WafLogFormat.append(waf, r);
        String w = waf.toString();
        assertThat(w).contains("\"terminatingRuleId\":\"AWS-AWSManagedRulesCommonRuleSet\","
                + "\"terminatingRuleType\":\"MANAGED_RULE_GROUP\",\"action\":\"BLOCK\"");
        assertThat(w).contains("\"ruleGroupList\":[{\"ruleGroupId\":\"AWS#AWSManagedRulesCommonRuleSet\","
                + "\"terminatingRule\":{\"ruleId\":\"NoUserAgent_HEADER\",\"action\":\"BLOCK\",\"ruleMatchDetails\":null},"
                + "\"nonTerminatingMatchingRules\":[],\"excludedRules\":null,\"customerConfig\":null}]");
        assertThat(w).contains("\"headers\":[{\"name\":\"host\",\"value\":\"shop.example.com\"},{\"name\":\"accept\",\"value\":\"*/*\"}]");
        assertThat(w).contains("\"httpVersion\":\"HTTP/2.0\"");
        assertThat(w).endsWith("},\"labels\":[{\"name\":\"awswaf:managed:aws:core-rule-set:NoUserAgent_Header\"}]}");

        StringBuilder alb = new StringBuilder();
        new AlbLogFormat().append(alb, r);
        assertThat(alb.toString()).startsWith("h2 2026-11-02T13:05:21.169789Z app/spikewatch-alb/50dc6c495c0c9188 "
                + "2a02:1234::1:51234 - -1 -1 -1 403 - 312 15234 \"GET https://shop.example.com:443/search HTTP/2.0\" \"-\" "
                + "TLS_AES_128_GCM_SHA256 TLSv1.3 - \"Root=1-6ae88a91-0123456789abcdef01234567\" \"shop.example.com\" "
                + "\"session-reused\" - 2026-11-02T13:05:21.123000Z \"waf\" \"-\" \"-\" \"-\" \"-\" \"-\" \"-\" TID_");
    }

    @Test
    void rateLimitedRequestNamesTheRateBasedRule() {
        SyntheticRequest r = allowed();
        r.rule = WafRule.RATE_LIMIT;
        StringBuilder waf = new StringBuilder();
        WafLogFormat.append(waf, r);
        assertThat(waf.toString()).contains("\"terminatingRuleId\":\"RateLimitRule\",\"terminatingRuleType\":\"RATE_BASED\"")
                .contains("\"ruleGroupList\":[],\"rateBasedRuleList\":[{\"rateBasedRuleId\":\"arn:aws:wafv2:")
                .contains("\"rateBasedRuleName\":\"RateLimitRule\",\"limitKey\":\"IP\",\"maxRateAllowed\":2000,"
                        + "\"evaluationWindowSec\":\"300\"}]")
                .doesNotContain("labels");
    }

    @Test
    void timestampsPadMicrosecondsAndSeconds() {
        StringBuilder sb = new StringBuilder();
        AlbLogFormat.UtcTimeText t = new AlbLogFormat.UtcTimeText();
        t.append(sb, Instant.parse("2026-12-31T23:59:05Z").toEpochMilli() * 1000 + 7);
        sb.append(' ');
        t.append(sb, Instant.parse("2027-01-01T00:00:00Z").toEpochMilli() * 1000);
        assertThat(sb.toString()).isEqualTo("2026-12-31T23:59:05.000007Z 2027-01-01T00:00:00.000000Z");
    }

    private static String hex(long v) {
        return String.format("%016x", v);
    }
}
