package io.spikewatch.parsing;

import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.CountryCodes;
import io.spikewatch.records.DeadLetterReason;
import io.spikewatch.records.LogSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Pure-logic tests of {@link WafLogParser}: the AWS documentation samples field by field, then edge cases. */
class WafLogParserTest {
    private static final String SQLI_ACL =
            "arn:aws:wafv2:ap-southeast-2:111122223333:regional/webacl/STMTest/1EXAMPLE-2ARN-3ARN-4ARN-123456EXAMPLE";
    private static final String HELLO_WORLD_ACL =
            "arn:aws:wafv2:us-east-1:123456789012:global/webacl/hello-world/5933d6d9-9dde-js82-v8aw-9ck28nv9";
    private static final String CAPTCHA_ACL =
            "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/captcha-web-acl/585e38b5-afce-4d2a-b417-14fb08b66c67";
    private static final String CHROME_94 = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/94.0.4606.54 Safari/537.36";
    private static final String API_GW_HOST = "b34myvfw0b.gamma.execute-api.us-east-1.amazonaws.com";

    /** A small valid record that edge cases modify with {@link String#replace}. */
    private static final String BASE = "{\"timestamp\":1700000000000,\"action\":\"ALLOW\",\"webaclId\":\"acl\","
            + "\"httpRequest\":{\"clientIp\":\"192.0.2.1\",\"country\":\"NL\",\"headers\":["
            + "{\"name\":\"Host\",\"value\":\"shop.example\"},{\"name\":\"User-Agent\",\"value\":\"ua/1\"}],"
            + "\"uri\":\"/cart\",\"args\":\"a=1\",\"httpMethod\":\"GET\",\"requestId\":\"r1\"}}";

    private final WafLogParser parser = new WafLogParser();

    // ---- AWS documentation samples ---------------------------------------------------------

    @Test
    void sqlInjectionTerminatingBlock() throws Exception {
        AccessEvent expected = event(1576280412771L, "BLOCK", 403, "STMTest_SQLi_XSS", SQLI_ACL, "1.1.1.1", "AU",
                "localhost:1989", "curl/7.61.1", "/foo", "GET", "rid");
        assertThat(parse("waf-sqli-block.json")).usingRecursiveComparison().isEqualTo(expected);
    }

    @Test
    void sqlInjectionNonTerminatingCountIsAllowWithoutStatus() throws Exception {
        AccessEvent expected = event(1592357192516L, "ALLOW", 0, "Default_Action", HELLO_WORLD_ACL, "3.3.3.3", "US",
                "localhost:1989", "curl/7.61.1", "/foo", "GET", "rid");
        assertThat(parse("waf-sqli-count-allow.json")).usingRecursiveComparison().isEqualTo(expected);
    }

    @Test
    void ruleGroupBlockTakesTopLevelTerminatingRule() throws Exception {
        AccessEvent expected = event(1592361810888L, "BLOCK", 403, "RG-Reference", HELLO_WORLD_ACL, "3.3.3.3", "US",
                "localhost:1989", "curl/7.61.1", "/foo", "GET", "rid");
        assertThat(parse("waf-rule-group-block.json")).usingRecursiveComparison().isEqualTo(expected);
    }

    @Test
    void jsonBodyBlockWithNullResponseCodeNoHeadersAndEmptyUri() throws Exception {
        // responseCodeSent is null: BLOCK defaults to 403. headers [] and uri "" leave host, agent, uri null.
        AccessEvent expected = event(1576280412771L, "BLOCK", 403, "STMTest_SQLi_XSS",
                "arn:aws:wafv2:ap-southeast-2:123456789012:regional/webacl/test/111", "1.1.1.1", "AU",
                null, null, null, "POST", "null");
        assertThat(parse("waf-json-body-block.json")).usingRecursiveComparison().isEqualTo(expected);
    }

    @Test
    void captchaWithValidTokenIsAllowAndFindsLowerCaseUserAgent() throws Exception {
        AccessEvent expected = event(1632420429309L, "ALLOW", 0, "Default_Action", CAPTCHA_ACL, "72.21.198.65", "US",
                API_GW_HOST, CHROME_94, "/pen-test/pets", "GET", "GINMHHUgoAMFxug=");
        assertThat(parse("waf-captcha-valid-token.json")).usingRecursiveComparison().isEqualTo(expected);
    }

    @Test
    void captchaWithoutTokenUsesResponseCodeSent() throws Exception {
        AccessEvent expected = event(1632420416512L, "CAPTCHA", 405, "captcha-rule", CAPTCHA_ACL, "72.21.198.65", "US",
                API_GW_HOST, CHROME_94, "/pen-test/pets", "GET", "GINKHEssoAMFsrg=");
        assertThat(parse("waf-captcha-missing-token.json")).usingRecursiveComparison().isEqualTo(expected);
    }

    @Test
    void baseRecordMapsEveryField() throws Exception {
        AccessEvent e = parser.parse(BASE);
        assertThat(e.timestamp).isEqualTo(1700000000000L);
        assertThat(e.source).isEqualTo(LogSource.WAF);
        assertThat(e.clientIp).isEqualTo("192.0.2.1");
        assertThat(e.country).isEqualTo("NL");
        assertThat(e.action).isEqualTo("ALLOW");
        assertThat(e.status).isZero();
        assertThat(e.method).isEqualTo("GET");
        assertThat(e.host).isEqualTo("shop.example");
        assertThat(e.uri).as("args are not appended").isEqualTo("/cart");
        assertThat(e.userAgent).isEqualTo("ua/1");
        assertThat(e.terminatingRule).isNull();
        assertThat(e.requestId).isEqualTo("r1");
        assertThat(e.resource).isEqualTo("acl");
        assertThat(e.domestic).isFalse();
        assertThat(e.allowlisted).isFalse();
    }

    // ---- malformed JSON ----------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t", "{", "[]", "[1]", "\"text\"", "42", "null", "{\"timestamp\":",
        "{\"a\":1}{\"b\":2}", "{\"a\":1} trailing", "{'timestamp':1}", "{\"a\":\"unterminated}", "{\"a\":tru}"})
    void malformedJsonIsInvalidJson(String line) {
        assertThat(failure(line).reason()).isEqualTo(DeadLetterReason.WAF_INVALID_JSON);
    }

    @Test
    void errorOffsetsAreUtf8ByteOffsetsAndSaySo() {
        // "é" is two bytes: the stray "x" starts at char 10 but byte 11 (Jackson named its end, byte 12).
        assertThat(failure("{\"a\":\"\u00e9\"} x").detail())
                .isEqualTo("trailing content after the JSON object at byte 11");
        assertThat(failure("{\"a\":tru}").detail()).contains("at byte ");
    }

    @Test
    void everyTruncationOfASampleIsInvalidJson() {
        // Invalid-JSON must win over field errors: a line cut short is a transport problem.
        String line = Samples.line("waf-captcha-missing-token.json");
        for (int cut = 0; cut < line.length(); cut++) {
            LogParseException e = failure(line.substring(0, cut));
            assertThat(e.reason()).as("cut at %d", cut).isEqualTo(DeadLetterReason.WAF_INVALID_JSON);
        }
    }

    @Test
    void nestingDepthBeyondJacksonLimitIsInvalidJsonNotStackOverflow() {
        String deep = "{\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "," + BASE.substring(1);
        assertThat(failure(deep).reason()).isEqualTo(DeadLetterReason.WAF_INVALID_JSON);
    }

    // ---- required fields ---------------------------------------------------------------------

    @Test
    void missingRequiredFieldsNameTheField() {
        assertInvalidField(BASE.replace("\"timestamp\":1700000000000,", ""), "timestamp");
        assertInvalidField(BASE.replace("\"action\":\"ALLOW\",", ""), "action");
        assertInvalidField(BASE.replace("\"clientIp\":\"192.0.2.1\",", ""), "httpRequest.clientIp");
        assertInvalidField("{\"timestamp\":1700000000000,\"action\":\"ALLOW\"}", "httpRequest.clientIp");
        assertInvalidField("{}", "timestamp");
    }

    @Test
    void mistypedRequiredFieldsNameTheField() {
        assertInvalidField(BASE.replace("1700000000000", "\"1700000000000\""), "timestamp");
        assertInvalidField(BASE.replace("1700000000000", "1700000000000.5"), "timestamp");
        assertInvalidField(BASE.replace("1700000000000", "17000000000000000000000000"), "timestamp");
        assertInvalidField(BASE.replace("1700000000000", "-5"), "timestamp");
        assertInvalidField(BASE.replace("1700000000000", "null"), "timestamp");
        assertInvalidField(BASE.replace("\"ALLOW\"", "1"), "action");
        assertInvalidField(BASE.replace("\"ALLOW\"", "\"DROP\""), "action");
        assertInvalidField(BASE.replace("\"192.0.2.1\"", "3221225985"), "httpRequest.clientIp");
        assertInvalidField("{\"timestamp\":1,\"action\":\"ALLOW\",\"httpRequest\":[\"192.0.2.1\"]}", "httpRequest");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.999", "example.com", "localhost", "1.2.3.4:80", "", " 1.2.3.4", "01.2.3.4",
        "fe80::1%eth0", "[2001:db8::1]", "2001:db8::g", "1.2.3"})
    void clientIpMustBeAnIpLiteral(String ip) {
        assertInvalidField(BASE.replace("192.0.2.1", ip), "httpRequest.clientIp");
    }

    @Test
    void ipv6ClientIsCanonicalized() throws Exception {
        assertThat(parser.parse(BASE.replace("192.0.2.1", "2001:DB8:0:0:0:0:0:1")).clientIp).isEqualTo("2001:db8::1");
        assertThat(parser.parse(BASE.replace("192.0.2.1", "2001:db8:0:1:0:0:0:1")).clientIp).isEqualTo("2001:db8:0:1::1");
        assertThat(parser.parse(BASE.replace("192.0.2.1", "::FFFF:192.0.2.1")).clientIp).isEqualTo("::ffff:192.0.2.1");
        assertThat(parser.parse(BASE.replace("192.0.2.1", "::1")).clientIp).isEqualTo("::1");
    }

    @Test
    void actionIsNormalizedToUpperCase() throws Exception {
        assertThat(parser.parse(BASE.replace("\"ALLOW\"", "\"challenge\"")).action).isEqualTo("CHALLENGE");
        assertThat(parser.parse(BASE.replace("\"ALLOW\"", "\"COUNT\"")).action).isEqualTo("COUNT");
    }

    // ---- optional fields ---------------------------------------------------------------------

    @Test
    void countryIsUpperCaseAlpha2OrNull() throws Exception {
        assertThat(country("\"-\"")).isNull();
        assertThat(country("\"au\"")).isEqualTo("AU").isSameAs(CountryCodes.of('A', 'U'));
        assertThat(country("\"Au\"")).isEqualTo("AU").isSameAs(CountryCodes.of('A', 'U'));
        assertThat(country("\"\\u0041U\"")).as("escaped").isEqualTo("AU").isSameAs(CountryCodes.of('A', 'U'));
        assertThat(country("\"USA\"")).isNull();
        assertThat(country("\"A1\"")).isNull();
        assertThat(country("\"\"")).isNull();
        assertThat(country("null")).isNull();
        assertThat(country("12")).isNull();
        assertThat(parser.parse(BASE.replace("\"country\":\"NL\",", "")).country).isNull();
    }

    @Test
    void headerNamesAreCaseInsensitiveAndFirstOccurrenceWins() throws Exception {
        String line = BASE.replace("{\"name\":\"Host\",\"value\":\"shop.example\"}",
                "{\"name\":\"HOST\",\"value\":\"first.example\"},{\"value\":\"v-first\",\"name\":\"uSeR-aGeNt\"},"
                        + "{\"name\":\"host\",\"value\":\"second.example\"},{\"name\":\"Hostname\",\"value\":\"no\"}");
        AccessEvent e = parser.parse(line);
        assertThat(e.host).isEqualTo("first.example");
        assertThat(e.userAgent).as("value before name in the object").isEqualTo("v-first");
    }

    @Test
    void malformedOptionalFieldsAreIgnoredNotFatal() throws Exception {
        AccessEvent e = parser.parse(BASE
                .replace("\"headers\":[", "\"headers\":{\"Host\":\"x\"},\"ignored\":[")
                .replace("\"/cart\"", "7")
                .replace("\"webaclId\":\"acl\"", "\"webaclId\":{\"a\":[1,2]},\"terminatingRuleId\":false"));
        assertThat(e.host).isNull();
        assertThat(e.userAgent).isNull();
        assertThat(e.uri).isNull();
        assertThat(e.resource).isNull();
        assertThat(e.terminatingRule).isNull();
        assertThat(e.clientIp).isEqualTo("192.0.2.1");

        AccessEvent odd = parser.parse(BASE.replace("{\"name\":\"Host\",\"value\":\"shop.example\"}",
                "1,\"x\",null,[],{\"name\":\"Host\"},{\"name\":\"Host\",\"value\":7},{\"name\":\"Host\",\"value\":\"h\"}"));
        assertThat(odd.host).isEqualTo("h");
    }

    @Test
    void statusDefaultsFollowTheAction() throws Exception {
        assertThat(parser.parse(BASE).status).isZero();
        assertThat(parser.parse(BASE.replace("\"ALLOW\"", "\"BLOCK\"")).status).isEqualTo(403);
        assertThat(parser.parse(BASE.replace("\"ALLOW\"", "\"BLOCK\",\"responseCodeSent\":429")).status)
                .as("custom response code").isEqualTo(429);
        assertThat(parser.parse(BASE.replace("\"ALLOW\"", "\"BLOCK\",\"responseCodeSent\":\"429\"")).status)
                .as("mistyped code falls back to the default").isEqualTo(403);
        assertThat(parser.parse(BASE.replace("\"ALLOW\"", "\"ALLOW\",\"responseCodeSent\":200")).status).isEqualTo(200);
    }

    @Test
    void unknownFieldsOfAnyShapeAreSkipped() throws Exception {
        String noise = "\"zz\":{\"a\":[{\"b\":[1,2,{\"c\":\"\\\"}\"}]}],\"timestamp\":\"decoy\"},\"labels\":[[[]]],";
        AccessEvent e = parser.parse(BASE.replace("{\"timestamp\"", "{" + noise + "\"timestamp\""));
        assertThat(e.timestamp).as("nested timestamp keys are not the top-level one").isEqualTo(1700000000000L);
        assertThat(e.host).isEqualTo("shop.example");
    }

    @Test
    void unicodeInUriAndUserAgentIsKeptExactly() throws Exception {
        // Raw emoji, escaped surrogate pair, Arabic (RTL) and an RTL override control character.
        String line = BASE.replace("\"/cart\"", "\"/😀/\\ud83d\\ude80/مرحبا\"")
                .replace("\"ua/1\"", "\"bot \\u202egnp.exe ✓ 𝄞\"");
        AccessEvent e = parser.parse(line);
        assertThat(e.uri).isEqualTo("/\uD83D\uDE00/\uD83D\uDE80/مرحبا");
        assertThat(e.userAgent).isEqualTo("bot \u202egnp.exe ✓ \uD834\uDD1E");
        assertThat(e.uri.codePointCount(0, e.uri.length())).isEqualTo(10);
    }

    @Test
    void emptyStringsBecomeNull() throws Exception {
        AccessEvent e = parser.parse(BASE.replace("\"GET\"", "\"\"").replace("\"r1\"", "\"\"")
                .replace("\"shop.example\"", "\"\""));
        assertThat(e.method).isNull();
        assertThat(e.requestId).isNull();
        assertThat(e.host).isNull();
    }

    // ---- the byte scanner: JSON details ------------------------------------------------------------

    @Test
    void escapedNamesMatchByTheirValue() throws Exception {
        String line = BASE.replace("\"timestamp\"", "\"time\\u0073tamp\"").replace("\"clientIp\"", "\"client\\u0049p\"")
                .replace("\"name\":\"Host\"", "\"n\\u0061me\":\"H\\u006fst\"");
        AccessEvent e = parser.parse(line);
        assertThat(e.timestamp).isEqualTo(1700000000000L);
        assertThat(e.clientIp).isEqualTo("192.0.2.1");
        assertThat(e.host).isEqualTo("shop.example");
        // An escape that decodes to something else must not match: "timestamp" + "\n" is another name.
        assertInvalidField(BASE.replace("\"timestamp\"", "\"timestamp\\n\""), "missing field timestamp");
    }

    @Test
    void escapedValuesAreDecoded() throws Exception {
        AccessEvent e = parser.parse(BASE.replace("\"/cart\"", "\"/a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\u00E9\"")
                .replace("\"ALLOW\"", "\"BL\\u004fCK\"").replace("\"NL\"", "\"\\u006el\""));
        assertThat(e.uri).isEqualTo("/a\"b\\c/d\b\f\n\r\té\u00e9");
        assertThat(e.action).isEqualTo("BLOCK");
        assertThat(e.country).isEqualTo("NL");
    }

    @Test
    void surrogateEscapesBecomeUtf16AsWritten() throws Exception {
        assertThat(parser.parse(BASE.replace("\"ua/1\"", "\"\\ud83d\\ude00 \\uD834\\uDD1E\"")).userAgent)
                .isEqualTo("😀 𝄞");
        // Lone surrogates are legal JSON escapes (Jackson kept them too): kept as lone chars.
        assertThat(parser.parse(BASE.replace("\"ua/1\"", "\"a\\ud800b\\udc00\"")).userAgent)
                .isEqualTo("a\ud800b\udc00");
    }

    @Test
    void nonAsciiValuesAreDecodedAsUtf8() throws Exception {
        AccessEvent e = parser.parse(BASE.replace("\"/cart\"", "\"/ünï/😀/مرحبا\"").replace("\"r1\"", "\"é\""));
        assertThat(e.uri).isEqualTo("/ünï/😀/مرحبا");
        assertThat(e.requestId).isEqualTo("é");
        // Unicode case rules are kept where they were: U+017F (long s) equalsIgnoreCase "s".
        assertThat(parser.parse(BASE.replace("\"Host\"", "\"ho\u017ft\"")).host).isEqualTo("shop.example");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\x", "\\u12", "\\u12G4", "\\'", "\t", "\n", "\u0000", "\\"})
    void badEscapesAndControlCharactersAreInvalidJsonEvenWhereSkipped(String inside) {
        assertThat(failure(BASE.replace("\"a=1\"", "\"" + inside + "\"")).reason()).isEqualTo(DeadLetterReason.WAF_INVALID_JSON);
        assertThat(failure(BASE.replace("\"args\"", "\"ar" + inside + "gs\"")).reason())
                .isEqualTo(DeadLetterReason.WAF_INVALID_JSON);
    }

    @Test
    void nestingIsCappedAtJacksonsLimitOf1000Levels() throws Exception {
        // The root object is level 1: 999 more are fine, whether skipped or not.
        String ok = "{\"x\":" + "[".repeat(998) + "{}" + "]".repeat(998) + "," + BASE.substring(1);
        assertThat(parser.parse(ok).clientIp).isEqualTo("192.0.2.1");
        String tooDeep = "{\"x\":" + "[".repeat(999) + "{}" + "]".repeat(999) + "," + BASE.substring(1);
        assertThat(failure(tooDeep).detail()).isEqualTo("nesting deeper than 1000 levels at byte 1004");
        String deepObjects = "{\"x\":" + "{\"y\":".repeat(1000) + "1" + "}".repeat(1000) + "," + BASE.substring(1);
        assertThat(failure(deepObjects).detail()).startsWith("nesting deeper than 1000 levels");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e3", "1E3", "1.0", "1700000000000.0", "-0", "0", "-1", "1e-3", "-0.0"})
    void timestampMustBeAPositiveIntegerAsWritten(String number) {
        assertInvalidField(BASE.replace("1700000000000", number), "timestamp");
    }

    @Test
    void timestampRangeIsTheLongRange() throws Exception {
        assertThat(parser.parse(BASE.replace("1700000000000", "9223372036854775807")).timestamp).isEqualTo(Long.MAX_VALUE);
        assertThat(failure(BASE.replace("1700000000000", "9223372036854775808")).detail())
                .isEqualTo("timestamp out of range: 9223372036854775808");
        assertThat(failure(BASE.replace("1700000000000", "-0")).detail()).isEqualTo("timestamp out of range: -0");
        assertThat(failure(BASE.replace("1700000000000", "1" + "0".repeat(1000))).reason())
                .as("1001 digits: Jackson's number length limit").isEqualTo(DeadLetterReason.WAF_INVALID_JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"01", "-", "1.", ".5", "+1", "1e", "1e+", "NaN", "-Infinity", "0x10"})
    void numbersOutsideTheJsonGrammarAreInvalidJson(String number) {
        assertThat(failure(BASE.replace("1700000000000", number)).reason()).isEqualTo(DeadLetterReason.WAF_INVALID_JSON);
        assertThat(failure(BASE.replace("\"a=1\"", number)).reason()).isEqualTo(DeadLetterReason.WAF_INVALID_JSON);
    }

    @Test
    void duplicateKeysAreEachRead() throws Exception {
        // As with Jackson: each occurrence is read, the last value stands, an error in any counts.
        assertThat(parser.parse(BASE.replace("\"ALLOW\"", "\"BLOCK\",\"action\":\"COUNT\"")).action).isEqualTo("COUNT");
        assertThat(parser.parse(BASE.replace("1700000000000,", "1700000000000,\"timestamp\":1700000000001,")).timestamp)
                .isEqualTo(1700000000001L);
        assertInvalidField(BASE.replace("1700000000000,", "\"x\",\"timestamp\":1700000000001,"), "timestamp");
        assertThat(parser.parse(BASE.replace("\"uri\":\"/cart\"", "\"uri\":\"/a\",\"uri\":\"/b\"")).uri).isEqualTo("/b");
    }

    @Test
    void whitespaceIsAllowedBetweenAllTokens() throws Exception {
        StringBuilder spaced = new StringBuilder(" \t\r\n");
        boolean inString = false;
        for (int i = 0; i < BASE.length(); i++) {
            char c = BASE.charAt(i);
            if (c == '"') inString = !inString;
            boolean structural = !inString && "{}[]:,\"".indexOf(c) >= 0; // a closing quote included
            if (structural && c != '"') spaced.append("\t \n");
            spaced.append(c);
            if (structural) spaced.append(" \r\n\t");
        }
        assertThat(parser.parse(spaced.toString())).usingRecursiveComparison().isEqualTo(parser.parse(BASE));
        // Only JSON's four: a vertical tab or a no-break space between tokens is a syntax error.
        assertThat(failure(BASE.replace(":", ":\u000b")).reason()).isEqualTo(DeadLetterReason.WAF_INVALID_JSON);
        assertThat(failure(BASE.replace(",", "\u00a0,")).reason()).isEqualTo(DeadLetterReason.WAF_INVALID_JSON);
    }

    @Test
    void byteRangeOfALargerBufferGivesTheSameEventAndOffsets() throws Exception {
        for (String sample : Samples.WAF) {
            String line = Samples.line(sample);
            byte[] buf = ("junk\n" + line + "\nmore").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int from = 5;
            int to = buf.length - 5;
            assertThat(parser.parse(buf, from, to)).usingRecursiveComparison().isEqualTo(parser.parse(line));
        }
        byte[] buf = "xx{\"a\":\u00e9}yy".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        LogParseException e = catchThrowableOfType(LogParseException.class, () -> parser.parse(buf, 2, buf.length - 2));
        assertThat(e.detail()).isEqualTo("unexpected non-ASCII byte 0xc3, expected a value at byte 5");
    }

    @Test
    void skippedValuesAreNotDecoded() throws Exception {
        // Measured, not assumed: padding the record with 50 KB of fields we skip (strings with escapes,
        // numbers, nesting) must not add allocation; a kept value of the same size must.
        String pad = "\"pad\":[" + "{\"s\":\"x\\\"y\\u00e9z\",\"n\":-1.5e3,\"t\":[true,false,null]},".repeat(1000) + "{}],";
        String padded = BASE.replace("{\"timestamp\"", "{" + pad + "\"timestamp\"");
        byte[] small = BASE.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] large = padded.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < 2000; i++) { // let the JIT settle (escape analysis may remove some allocation)
            parser.parse(small, 0, small.length);
            parser.parse(large, 0, large.length);
        }
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100; i++) parser.parse(small, 0, small.length);
        long perSmall = (threads.getThreadAllocatedBytes(thread) - before) / 100;
        before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100; i++) parser.parse(large, 0, large.length);
        long perLarge = (threads.getThreadAllocatedBytes(thread) - before) / 100;
        assertThat(perLarge).as("bytes per parse with 50 KB skipped, vs %d without", perSmall)
                .isLessThan(perSmall + 256);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private AccessEvent parse(String sample) throws LogParseException {
        return parser.parse(Samples.line(sample));
    }

    private String country(String json) throws LogParseException {
        return parser.parse(BASE.replace("\"NL\"", json)).country;
    }

    private LogParseException failure(String line) {
        LogParseException e = catchThrowableOfType(LogParseException.class, () -> parser.parse(line));
        assertThat(e).as("expected a LogParseException for %s", line).isNotNull();
        assertThat(e.getStackTrace()).as("no stack trace for bad input").isEmpty();
        return e;
    }

    private void assertInvalidField(String line, String field) {
        LogParseException e = failure(line);
        assertThat(e.reason()).as(line).isEqualTo(DeadLetterReason.WAF_INVALID_FIELD);
        assertThat(e.detail()).as(line).contains(field);
    }

    static AccessEvent event(long ts, String action, int status, String rule, String acl, String ip, String country,
                             String host, String agent, String uri, String method, String requestId) {
        AccessEvent e = new AccessEvent();
        e.timestamp = ts;
        e.source = LogSource.WAF;
        e.action = action;
        e.status = status;
        e.terminatingRule = rule;
        e.resource = acl;
        e.clientIp = ip;
        e.country = country;
        e.host = host;
        e.userAgent = agent;
        e.uri = uri;
        e.method = method;
        e.requestId = requestId;
        return e;
    }
    /**
     * One parser keeps the last web ACL, rule and host and hands them out again while they repeat:
     * a line with another value of the same length, an escaped spelling of the same value, or none
     * at all must still get its own value, as a fresh parser gives it.
     */
    @Test
    void aParserReusedAcrossLinesGivesEachLineItsOwnValues() throws Exception {
        String base = Samples.line("waf-sqli-block.json");
        String acl = "1EXAMPLE-2ARN-3ARN-4ARN-123456EXAMPLE";
        String[] lines = {
            base,
            base.replace(acl, "2EXAMPLE-2ARN-3ARN-4ARN-123456EXAMPLE"),
            base.replace("STMTest_SQLi_XSS", "STMTest_SQLi_XSz").replace("localhost:1989", "localhost:1988"),
            base,
            base.replace("localhost:1989", "local\\u0068ost:1989"),
            base.replace("\"terminatingRuleId\":\"STMTest_SQLi_XSS\"", "\"terminatingRuleId\":\"\"")
                    .replace("\"name\":\"Host\",\"value\":\"localhost:1989\"", "\"name\":\"Host\",\"value\":\"\""),
            base.replace(acl, "2EXAMPLE-2ARN-3ARN-4ARN-123456EXAMPLE"),
            base,
        };
        WafLogParser reused = new WafLogParser();
        for (String line : lines) {
            assertThat(reused.parse(line)).usingRecursiveComparison().isEqualTo(new WafLogParser().parse(line));
        }
        assertThat(reused.parse(lines[1]).resource).endsWith("/2EXAMPLE-2ARN-3ARN-4ARN-123456EXAMPLE");
        assertThat(reused.parse(lines[2]).host).isEqualTo("localhost:1988");
        assertThat(reused.parse(lines[5]).terminatingRule).isNull();
        assertThat(reused.parse(lines[0]).terminatingRule).isEqualTo("STMTest_SQLi_XSS");
    }

    /**
     * One parser learns the member names of the records it reads and confirms the next expected
     * name by comparing bytes: every record must still get exactly a fresh parser's outcome (event,
     * or reason and detail), whatever the records before it — names reordered, added, escaped,
     * spaced, cut short, or extended, and more distinct names than a table learns.
     */
    @Test
    void aParserThatLearnedNamesGivesEveryLineAFreshParsersOutcome() {
        StringBuilder manyNames = new StringBuilder("{");
        for (int i = 0; i < JsonByteScanner.NameTable.MAX_ENTRIES + 10; i++) manyNames.append("\"n").append(i).append("\":").append(i).append(',');
        String many = BASE.replace("{\"timestamp\"", manyNames + "\"timestamp\"");
        String[] lines = {
            BASE,
            BASE.replace("\"timestamp\":1700000000000,\"action\":\"ALLOW\",", "\"action\":\"ALLOW\",\"timestamp\":1700000000000,"),
            BASE.replace("{\"clientIp\"", "{\"x\":[1,{\"clientIp\":2}],\"clientIp\""),
            BASE.replace("\"timestamp\":", "\"timestamp\" :"),
            BASE.replace("{\"timestamp\":", "{ \"timestamp\":").replace(",\"action\":", ",\n\t\"action\":"),
            BASE.replace("\"timestamp\":", "\"time\\u0073tamp\":"),
            BASE.replace("\"action\":", "\"actionX\":"),
            BASE.replace("\"action\":", "\"actio\":"),
            BASE.replace("\"action\":", "\"Action\":"),
            // Longer than the fixed-width comparison: confirmed the other way.
            BASE.replace("\"action\":", "\"action_under_a_name_longer_than_32_bytes\":"),
            BASE.replace("\"action\":", "\"action_under_a_name_longer_than_32_bytez\":"),
            BASE.replace("\"webaclId\":", "\"webaclId\u00e9\":"),
            BASE.replace("{\"name\":\"Host\",\"value\":\"shop.example\"}", "{\"value\":\"shop.example\",\"name\":\"Host\"}"),
            BASE.replace("\"action\":\"ALLOW\",", ""),
            BASE.replace("\"action\":\"ALLOW\",", "\"action\":\"BLOCK\",\"action\":\"ALLOW\","),
            BASE.substring(0, BASE.indexOf("\"action\"") + 7),
            BASE.substring(0, BASE.indexOf("\"action\"") + 9),
            BASE.substring(0, BASE.indexOf("\"clientIp\"") + 4),
            BASE.replace("\"clientIp\":", "\"clientIp\"\u0000:"),
            many,
        };
        WafLogParser reused = new WafLogParser();
        for (String before : lines) {
            for (String line : lines) {
                outcome(reused, before);
                assertThat(outcome(reused, line)).as("%s after %s", line, before)
                        .usingRecursiveComparison().isEqualTo(outcome(new WafLogParser(), line));
            }
        }
        assertThat(outcome(reused, many)).as("a record past the table's size").isInstanceOf(AccessEvent.class);
    }

    /** The event, or the failure's reason and detail as text. */
    private static Object outcome(WafLogParser parser, String line) {
        try {
            return parser.parse(line);
        } catch (LogParseException ex) {
            return "failure " + ex.reason() + " " + ex.detail();
        }
    }
}
