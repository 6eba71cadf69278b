package io.spikewatch.parsing;

import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.DeadLetterReason;
import io.spikewatch.records.LogSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Pure-logic tests of {@link AlbLogParser}: the AWS documentation samples field by field, then edge cases. */
class AlbLogParserTest {
    private static final long JUL_2_2018_22_23_00_186 = 1530570180186L; // 2018-07-02T22:23:00.186641Z
    private static final long NOV_30_2018_22_23_00_186 = 1543616580186L; // 2018-11-30T22:23:00.186641Z
    private static final String LB = "app/my-loadbalancer/50dc6c495c0c9188";

    private final AlbLogParser parser = new AlbLogParser();
    /** The documentation's HTTPS example; edge cases modify it with {@link String#replace}. */
    private final String https = Samples.line("alb-https.log");

    // ---- AWS documentation samples ---------------------------------------------------------

    @Test
    void httpEntry() throws Exception {
        assertThat(parse("alb-http.log")).usingRecursiveComparison().isEqualTo(event(JUL_2_2018_22_23_00_186,
                "192.168.131.39", "ALLOW", 200, "GET", "www.example.com", "/", "curl/7.46.0",
                "Root=1-58337262-36d228ad5d99923122bbe354"));
    }

    @Test
    void httpsEntry() throws Exception {
        assertThat(parse("alb-https.log")).usingRecursiveComparison().isEqualTo(event(JUL_2_2018_22_23_00_186,
                "192.168.131.39", "ALLOW", 200, "GET", "www.example.com", "/", "curl/7.46.0",
                "Root=1-58337281-1d84f3d73c47ec4e58577259"));
    }

    @Test
    void httpsEntryInTheOlderDocumentedLayoutParsesTheSame() throws Exception {
        assertThat(parse("alb-https-2019-doc-format.log")).usingRecursiveComparison().isEqualTo(parse("alb-https.log"));
    }

    @Test
    void http2Entry() throws Exception {
        assertThat(parse("alb-h2.log")).usingRecursiveComparison().isEqualTo(event(JUL_2_2018_22_23_00_186,
                "10.0.1.252", "ALLOW", 200, "GET", "10.0.2.105", "/", "curl/7.46.0",
                "Root=1-58337327-72bd00b0343d75b906739c42"));
    }

    @Test
    void webSocketsEntry() throws Exception {
        assertThat(parse("alb-ws.log")).usingRecursiveComparison().isEqualTo(event(JUL_2_2018_22_23_00_186,
                "10.0.0.140", "ALLOW", 101, "GET", "10.0.0.30", "/", null,
                "Root=1-58337364-23a8c76965a2ef7629b185e3"));
    }

    @Test
    void securedWebSocketsEntry() throws Exception {
        assertThat(parse("alb-wss.log")).usingRecursiveComparison().isEqualTo(event(JUL_2_2018_22_23_00_186,
                "10.0.0.140", "ALLOW", 101, "GET", "10.0.0.30", "/", null,
                "Root=1-58337364-23a8c76965a2ef7629b185e3"));
    }

    @Test
    void lambdaEntries() throws Exception {
        assertThat(parse("alb-lambda-success.log")).usingRecursiveComparison().isEqualTo(event(NOV_30_2018_22_23_00_186,
                "192.168.131.39", "ALLOW", 200, "GET", "www.example.com", "/", "curl/7.46.0",
                "Root=1-58337364-23a8c76965a2ef7629b185e3"));
        assertThat(parse("alb-lambda-failure.log")).usingRecursiveComparison().isEqualTo(event(NOV_30_2018_22_23_00_186,
                "192.168.131.39", "ALLOW", 502, "GET", "www.example.com", "/", "curl/7.46.0",
                "Root=1-58337364-23a8c76965a2ef7629b185e3"));
    }

    // ---- structure ---------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"http", "https", "h2", "grpcs", "ws", "wss"})
    void everyDocumentedTypeIsAccepted(String type) throws Exception {
        AccessEvent e = parser.parse(type + https.substring("https".length()));
        assertThat(e.source).isEqualTo(LogSource.ALB);
        assertThat(e.clientIp).isEqualTo("192.168.131.39");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP", "tls", "h3", "-", "https2"})
    void otherTypesAreInvalid(String type) {
        assertInvalidField(type + https.substring("https".length()), "type");
    }

    @Test
    void extraTrailingFieldsAreIgnored() throws Exception {
        AccessEvent plain = parser.parse(https);
        AccessEvent extended = parser.parse(https + " \"bogus field \\\" one\" bogus-two");
        assertThat(extended).usingRecursiveComparison().isEqualTo(plain);
    }

    @Test
    void fieldsThroughActionsExecutedAreEnough() throws Exception {
        String cut = https.substring(0, https.indexOf("\"authenticate,forward\"") + "\"authenticate,forward\"".length());
        assertThat(parser.parse(cut)).usingRecursiveComparison().isEqualTo(parser.parse(https));
        String tooShort = https.substring(0, https.indexOf(" \"authenticate,forward\""));
        assertThat(failure(tooShort).reason()).isEqualTo(DeadLetterReason.ALB_TRUNCATED);
        assertThat(failure(tooShort).detail()).contains("22 fields");
    }

    @Test
    void everyTruncationIsTruncatedOrStillTheSameEvent() throws Exception {
        AccessEvent full = parser.parse(https);
        for (int cut = 0; cut < https.length(); cut++) {
            String line = https.substring(0, cut);
            try {
                assertThat(parser.parse(line)).as("cut at %d", cut).usingRecursiveComparison().isEqualTo(full);
            } catch (LogParseException e) {
                assertThat(e.reason()).as("cut at %d", cut).isEqualTo(DeadLetterReason.ALB_TRUNCATED);
            }
        }
    }

    @Test
    void unbalancedQuotesAreTruncated() {
        assertThat(failure(https.replace("\"curl/7.46.0\"", "\"curl/7.46.0")).reason())
                .isEqualTo(DeadLetterReason.ALB_TRUNCATED);
        assertThat(failure(https + " \"open").reason()).isEqualTo(DeadLetterReason.ALB_TRUNCATED);
        assertThat(failure(https.replace("\"curl/7.46.0\"", "\"curl/7.46.0\\\"")).reason())
                .as("escaped closing quote").isEqualTo(DeadLetterReason.ALB_TRUNCATED);
        assertThat(failure(https.replace("\"curl/7.46.0\"", "\"curl\"x")).reason())
                .isEqualTo(DeadLetterReason.ALB_TRUNCATED);
    }

    @Test
    void blankAndGarbageAreTruncated() {
        for (String line : new String[] {"", "   ", "https", "https 2018-07-02T22:23:00.186641Z", "\"\"\"\""}) {
            assertThat(failure(line).reason()).as(line).isEqualTo(DeadLetterReason.ALB_TRUNCATED);
        }
    }

    @Test
    void surroundingWhitespaceAndRunsOfSpacesAreTolerated() throws Exception {
        assertThat(parser.parse("  " + https.replace(" 200 200 ", "  200   200 ") + " \t"))
                .usingRecursiveComparison().isEqualTo(parser.parse(https));
    }

    // ---- field values --------------------------------------------------------------------------

    @Test
    void escapedQuotesAndBackslashesInUserAgentAreUnescaped() throws Exception {
        String line = https.replace("\"curl/7.46.0\"", "\"Mozilla \\\"quoted\\\" agent \\\\ end\"");
        assertThat(parser.parse(line).userAgent).isEqualTo("Mozilla \"quoted\" agent \\ end");
        String other = https.replace("\"curl/7.46.0\"", "\"a\\x22b\\\\\"");
        assertThat(parser.parse(other).userAgent).as("unknown escapes stay literal").isEqualTo("a\\x22b\\");
        String odd = https.replace("\"curl/7.46.0\"", "\"a\\\\\\\"b\"");
        assertThat(parser.parse(odd).userAgent).as("three backslashes and a quote: \\\\ then \\\"")
                .isEqualTo("a\\\"b");
    }

    @Test
    void unicodeInUriAndUserAgentIsKeptExactly() throws Exception {
        String line = https.replace("https://www.example.com:443/ ", "https://www.example.com:443/ü/😀/مرحبا?q=𝄞 ")
                .replace("\"curl/7.46.0\"", "\"bot 😀 \u202egnp.exe\"");
        AccessEvent e = parser.parse(line);
        assertThat(e.uri).isEqualTo("/ü/\uD83D\uDE00/مرحبا");
        assertThat(e.userAgent).isEqualTo("bot \uD83D\uDE00 \u202egnp.exe");
    }

    @Test
    void ipv6ClientsInBothNotations() throws Exception {
        assertThat(client("2001:db8::1:2817")).as("bare, last colon is the port").isEqualTo("2001:db8::1");
        assertThat(client("[2001:DB8:0::1]:2817")).isEqualTo("2001:db8::1");
        assertThat(client("2600:1f18:4a3:6902:9d2a:1b5e:86f1:7d4a:50414")).isEqualTo("2600:1f18:4a3:6902:9d2a:1b5e:86f1:7d4a");
        assertThat(client("::ffff:192.0.2.7:80")).isEqualTo("::ffff:192.0.2.7");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-", "192.168.131.39", "192.168.131.39:", "192.168.131.39:99999", "192.168.131.39:8o",
        "1.2.3.999:80", "host.example:80", "[2001:db8::1]80", "[2001:db8::1", "2001:db8::1", ":80"})
    void badClientIsInvalidField(String client) {
        assertInvalidField(https.replace("192.168.131.39:2817", client), "client");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2018-07-02T22:23:00.186641", "2018-07-02T25:23:00.186641Z", "2018-02-30T22:23:00.186641Z",
        "2018-07-02T22:23:00.Z", "2018-07-02T22:23:00.1234567890Z", "2018-07-02X22:23:00.186641Z", "yesterday",
        "-", "2018-07-02T22:23:60Z", "2018-13-02T22:23:00Z", "2018-07-02T22:23:00.186641+00:00"})
    void badTimeIsInvalidField(String time) {
        assertInvalidField(https.replaceFirst("2018-07-02T22:23:00.186641Z", time), "time");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2OO", "1000", "OK", "-1"})
    void badStatusIsInvalidField(String status) {
        assertInvalidField(https.replace(" 200 200 ", " " + status + " 200 "), "elb_status_code");
    }

    @Test
    void dashesAndMinusOneTimingsMeanEmpty() throws Exception {
        // As logged for a request the load balancer could not parse (seen in real logs).
        String line = "http 2025-03-01T10:03:17.218099Z app/MyALB1/240dbdc5244653c9 205.210.31.158:61084 - -1 -1 -1 400 - "
                + "0 272 \"- http://myalb1-878688131.us-east-1.elb.amazonaws.com:80- -\" \"-\" - - - \"-\" \"-\" \"-\" - "
                + "2025-03-01T10:03:16.682000Z \"-\" \"-\" \"-\" \"-\" \"-\" \"-\" \"-\" TID_6cfb27fd2ef25c42932bd6e0ff56d631";
        AccessEvent e = parser.parse(line);
        assertThat(e.timestamp).isEqualTo(Instant.parse("2025-03-01T10:03:17.218Z").toEpochMilli());
        assertThat(e.clientIp).isEqualTo("205.210.31.158");
        assertThat(e.status).isEqualTo(400);
        assertThat(e.method).isNull();
        assertThat(e.host).isEqualTo("myalb1-878688131.us-east-1.elb.amazonaws.com");
        assertThat(e.uri).isNull();
        assertThat(e.userAgent).isNull();
        assertThat(e.requestId).isNull();
        assertThat(e.action).isEqualTo("ALLOW");

        AccessEvent noStatus = parser.parse(https.replace(" 200 200 ", " - - ").replace("\"GET https://www.example.com:443/ HTTP/1.1\"", "\"- - -\""));
        assertThat(noStatus.status).isZero();
        assertThat(noStatus.method).isNull();
        assertThat(noStatus.host).isNull();
        assertThat(noStatus.uri).isNull();
    }

    @Test
    void requestLineVariants() throws Exception {
        assertRequest("GET https://shop.example:443/p/a?q=1&r=/x#frag HTTP/1.1", "GET", "shop.example", "/p/a");
        assertRequest("POST https://user:pw@shop.example:443/login HTTP/2.0", "POST", "shop.example", "/login");
        assertRequest("GET https://[2001:db8::1]:443/v6 HTTP/1.1", "GET", "[2001:db8::1]", "/v6");
        assertRequest("GET https://shop.example:443?only=query HTTP/1.1", "GET", "shop.example", null);
        assertRequest("GET https://shop.example HTTP/1.1", "GET", "shop.example", null);
        assertRequest("GET /relative?redirect=http://evil.example/ HTTP/1.0", "GET", null, "/relative");
        assertRequest("GET https://shop.example:443/a b HTTP/1.1", "GET", "shop.example", "/a b");
        assertRequest("PRI * HTTP/2.0", "PRI", null, "*");
        assertRequest("GET", "GET", null, null);
    }

    @Test
    void actionIsBlockOnlyWhenWafAnsweredWith403() throws Exception {
        assertThat(action("waf", 403)).isEqualTo("BLOCK");
        assertThat(action("authenticate,waf", 403)).isEqualTo("BLOCK");
        assertThat(action("waf,forward", 403)).as("target answered 403").isEqualTo("ALLOW");
        assertThat(action("waf", 200)).isEqualTo("ALLOW");
        assertThat(action("waf-failed,forward", 403)).isEqualTo("ALLOW");
        assertThat(action("waf-failed", 403)).as("token match, not substring").isEqualTo("ALLOW");
        assertThat(action("forward", 403)).isEqualTo("ALLOW");
        assertThat(action("-", 403)).isEqualTo("ALLOW");
    }

    @Test
    void timeParserAgreesWithJavaTime() {
        Random random = new Random(42);
        DateTimeFormatter micros = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
                .withZone(java.time.ZoneOffset.UTC);
        for (int i = 0; i < 20_000; i++) {
            // 1970 .. 2200, including leap days and year ends.
            long nanos = Math.floorMod(random.nextLong(), 7_258_118_400_000_000_000L);
            Instant t = Instant.ofEpochSecond(0, nanos).truncatedTo(ChronoUnit.MICROS);
            String text = micros.format(t);
            assertThat(AlbLogParser.parseIsoMillis(text, 0, text.length())).as(text).isEqualTo(t.toEpochMilli());
        }
        assertThat(AlbLogParser.parseIsoMillis("2024-02-29T23:59:59Z", 0, 20))
                .isEqualTo(Instant.parse("2024-02-29T23:59:59Z").toEpochMilli());
        assertThat(AlbLogParser.parseIsoMillis("x2000-01-01T00:00:00.5Zx", 1, 23))
                .isEqualTo(Instant.parse("2000-01-01T00:00:00.500Z").toEpochMilli());
        assertThat(AlbLogParser.parseIsoMillis("1900-02-29T00:00:00Z", 0, 20)).isEqualTo(Long.MIN_VALUE);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private AccessEvent parse(String sample) throws LogParseException {
        return parser.parse(Samples.line(sample));
    }

    private String client(String clientAndPort) throws LogParseException {
        return parser.parse(https.replace("192.168.131.39:2817", clientAndPort)).clientIp;
    }

    private String action(String actions, int status) throws LogParseException {
        return parser.parse(https.replace("\"authenticate,forward\"", "\"" + actions + "\"")
                .replace(" 200 200 ", " " + status + " 200 ")).action;
    }

    private void assertRequest(String request, String method, String host, String uri) throws LogParseException {
        AccessEvent e = parser.parse(https.replace("GET https://www.example.com:443/ HTTP/1.1", request));
        assertThat(e.method).as(request).isEqualTo(method);
        assertThat(e.host).as(request).isEqualTo(host);
        assertThat(e.uri).as(request).isEqualTo(uri);
    }

    private LogParseException failure(String line) {
        LogParseException e = catchThrowableOfType(LogParseException.class, () -> parser.parse(line));
        assertThat(e).as("expected a LogParseException for %s", line).isNotNull();
        return e;
    }

    private void assertInvalidField(String line, String field) {
        LogParseException e = failure(line);
        assertThat(e.reason()).as(line).isEqualTo(DeadLetterReason.ALB_INVALID_FIELD);
        assertThat(e.detail()).as(line).contains(field);
    }

    private static AccessEvent event(long ts, String ip, String action, int status, String method, String host,
                                     String uri, String agent, String traceId) {
        AccessEvent e = new AccessEvent();
        e.timestamp = ts;
        e.source = LogSource.ALB;
        e.clientIp = ip;
        e.country = null;
        e.action = action;
        e.status = status;
        e.method = method;
        e.host = host;
        e.uri = uri;
        e.userAgent = agent;
        e.terminatingRule = null;
        e.requestId = traceId;
        e.resource = LB;
        return e;
    }
    /**
     * One parser keeps the scratch bounds, the last load balancer and host: a line with another
     * value of the same length, an escaped request or no request must still get its own values,
     * as a fresh parser gives them, and a failed line must not leak into the next.
     */
    @Test
    void aParserReusedAcrossLinesGivesEachLineItsOwnValues() throws Exception {
        String base = Samples.line("alb-https.log");
        String[] lines = {
            base,
            base.replace("app/my-loadbalancer/50dc6c495c0c9188", "app/my-loadbalancer/50dc6c495c0c9189"),
            base.replace("https://www.example.com:443/", "https://www.example.org:443/x"),
            base.replace("\"GET https://www.example.com:443/ HTTP/1.1\"", "\"GET https://www.ex\\\\ample.com:443/ HTTP/1.1\""),
            base.replace("\"GET https://www.example.com:443/ HTTP/1.1\"", "\"-\""),
            base.replace("\"GET https://www.example.com:443/ HTTP/1.1\"", "\"PURGE http://user@[2001:db8::1]:8080/p?q HTTP/1.1\""),
            base.replace("\"GET https://www.example.com:443/ HTTP/1.1\"", "\"GET /origin/form?x=1 HTTP/1.1\""),
            base,
        };
        AlbLogParser reused = new AlbLogParser();
        for (String line : lines) {
            assertThat(reused.parse(line)).usingRecursiveComparison().isEqualTo(new AlbLogParser().parse(line));
            assertThatThrownBy(() -> reused.parse("https 2018-07-02T22:23:00.186641Z app/x 1.2.3.4:5"))
                    .isInstanceOf(LogParseException.class);
        }
        assertThat(reused.parse(lines[1]).resource).isEqualTo("app/my-loadbalancer/50dc6c495c0c9189");
        assertThat(reused.parse(lines[2]).host).isEqualTo("www.example.org");
        assertThat(reused.parse(lines[3]).host).isEqualTo("www.ex\\ample.com");
        AccessEvent odd = reused.parse(lines[5]);
        assertThat(odd.method).isEqualTo("PURGE");
        assertThat(odd.host).isEqualTo("[2001:db8::1]");
        assertThat(odd.uri).isEqualTo("/p");
        AccessEvent origin = reused.parse(lines[6]);
        assertThat(origin.host).isNull();
        assertThat(origin.uri).isEqualTo("/origin/form");
        assertThat(reused.parse(lines[4]).method).isNull();
        assertThat(reused.parse(lines[0]).resource).isEqualTo("app/my-loadbalancer/50dc6c495c0c9188");
    }
}
