package io.spikewatch.parsing;

import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.DeadLetterReason;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@link WafLogParser} (hand-written byte scanner) against {@link JacksonWafReference} (the Jackson
 * streaming parser it replaced) on many random and mutated records, fixed seeds: both must accept
 * the same lines and build equal events, and reject the others for the same reason — for a field
 * error with the same detail. JSON error details differ in wording (and name the start rather than
 * the end of a bad token), so only their reason and byte-offset form are compared.
 */
class WafLogParserDifferentialTest {
    private static final String BASE = "{\"timestamp\":1700000000000,\"action\":\"ALLOW\",\"webaclId\":\"acl\","
            + "\"httpRequest\":{\"clientIp\":\"192.0.2.1\",\"country\":\"NL\",\"headers\":["
            + "{\"name\":\"Host\",\"value\":\"shop.example\"},{\"name\":\"User-Agent\",\"value\":\"ua/1\"}],"
            + "\"uri\":\"/cart\",\"args\":\"a=1\",\"httpMethod\":\"GET\",\"requestId\":\"r1\"}}";

    /** Values dropped in place of other values: every JSON kind, edge numbers, escapes, junk. */
    private static final String[] VALUES = {
        "0", "-0", "1", "-1", "1e3", "1E+3", "1.0", "1.5e-3", "-0.0", "0.5", "00", "01", "-", "-a", "1.", ".5", "+1",
        "1e", "1e+", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "999", "1000", "2147483648",
        "1700000000000", "17000000000000000000000000", "1".repeat(1000), "1".repeat(1001), "1." + "5".repeat(999),
        "true", "false", "null", "tru", "nul", "falsey", "True", "NaN", "Infinity", "-Infinity",
        "\"\"", "\"x\"", "\"ALLOW\"", "\"block\"", "\"ChAlLeNgE\"", "\"ALL\\u004fW\"", "\"-\"", "\"nl\"", "\"N\\u004c\"",
        "\"192.0.2.1\"", "\"2001:DB8::1\"", "\"\\ud83d\\ude80\"", "\"\\ud800\"", "\"\\udc00x\"", "\"a\\\"b\\\\c\\/d\"",
        "\"\\b\\f\\n\\r\\t\"", "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "\"\\'\"", "\"tab\there\"", "\"nl\nhere\"",
        "\"😀 مرحبا é\"", "\"\u202e\"", "\"unterminated", "'single'", "{}", "[]", "[1,2,[3,{\"a\":[]}]]",
        "{\"a\":{\"b\":{\"c\":null}}}", "{\"name\":\"Host\",\"value\":\"h\"}", "[{\"name\":\"host\",\"value\":\"h2\"}]",
        "[{\"value\":\"v\",\"name\":\"HOST\"}]", "[{\"name\":\"ho\\u0073t\",\"value\":\"esc\"}]",
        "[{\"name\":\"ho\u017ft\",\"value\":\"long-s\"}]", "[{\"name\":\"Host\",\"name\":\"X\",\"value\":\"no\"}]",
        "[1,,2]", "[1,]", "{\"a\":1,}", "{,}", "{\"a\" 1}", "{\"a\":}", "[", "{", "]", "}", "[[[[]]]]",
        "[" + "[".repeat(998) + "]".repeat(998) + "]", "[" + "[".repeat(999) + "]".repeat(999) + "]",
        "{\"x\":" + "{\"x\":".repeat(997) + "1" + "}".repeat(997) + "}",
    };
    private static final String[] NAMES = {
        "timestamp", "action", "terminatingRuleId", "webaclId", "responseCodeSent", "httpRequest", "clientIp",
        "country", "headers", "uri", "httpMethod", "requestId", "name", "value", "time\\u0073tamp", "\\u0061ction",
        "clientI\\u0070", "args", "x", "", "Timestamp", "timestamp ", "\\\"", "é", "\\ud83d\\ude00",
    };
    private static final String[] WHITESPACE = {" ", "\t", "\n", "\r", "  \r\n\t", "\u000b", "\f", "\u00a0", "\u2003"};

    private static final Pattern BYTE_OFFSET = Pattern.compile(".* at byte \\d+");

    private final WafLogParser parser = new WafLogParser();
    private final JacksonWafReference reference = new JacksonWafReference();
    private int accepted;
    private int compared;

    @Test
    void sameOutcomeAsJacksonOnMutatedSamples() {
        Random random = new Random(31L);
        List<String> seeds = seeds();
        for (int i = 0; i < 10_000; i++) {
            String line = seeds.get(random.nextInt(seeds.size()));
            line = switch (random.nextInt(5)) {
                case 0 -> ParsingFuzzTest.mutate(line, random);
                case 1 -> replaceAValue(line, random);
                case 2 -> insertAMember(line, random);
                case 3 -> insertWhitespace(line, random);
                default -> escapeAChar(line, random);
            };
            if (random.nextInt(3) == 0) line = replaceAValue(line, random);
            assertSameOutcome(line);
        }
        assertThat(accepted).as("enough mutations stay valid to compare events").isGreaterThan(1_500);
        assertThat(compared - accepted).as("and enough fail to compare rejections").isGreaterThan(1_500);
    }

    @Test
    void sameOutcomeOnEveryValueInEveryField() {
        for (String name : NAMES) {
            for (String value : VALUES) {
                String member = "\"" + name + "\":" + value;
                assertSameOutcome(BASE.replace("{\"timestamp\"", "{" + member + ",\"timestamp\""));
                assertSameOutcome(BASE.replace("\"webaclId\":\"acl\"", member));
                assertSameOutcome(BASE.replace("\"clientIp\"", member + ",\"clientIp\""));
                assertSameOutcome(BASE.replace("{\"name\":\"Host\"", "{" + member + ",\"name\":\"Host\""));
                assertSameOutcome(BASE.replace("}}", "," + member + "}}"));
            }
        }
    }

    @Test
    void sameOutcomeOnEveryTruncationAndEveryWhitespacePosition() {
        for (String sample : Samples.WAF) {
            String line = Samples.line(sample);
            for (int cut = 0; cut <= line.length(); cut++) assertSameOutcome(line.substring(0, cut));
        }
        for (int at = 0; at <= BASE.length(); at++) {
            for (String ws : WHITESPACE) assertSameOutcome(BASE.substring(0, at) + ws + BASE.substring(at));
        }
    }

    private void assertSameOutcome(String line) {
        // Jackson guesses UTF-16/32 from zero bytes at the start; our input is UTF-8 by contract.
        byte[] utf8 = line.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < Math.min(4, utf8.length); i++) {
            if (utf8[i] == 0) return;
        }
        compared++;
        AccessEvent expected = null;
        LogParseException expectedFailure = null;
        try {
            expected = reference.parse(line);
        } catch (LogParseException e) {
            expectedFailure = e;
        }
        AccessEvent actual = null;
        LogParseException actualFailure = null;
        try {
            actual = parser.parse(line);
        } catch (LogParseException e) {
            actualFailure = e;
        }
        String what = line.length() > 300 ? line.substring(0, 300) + "…" : line;
        if (expectedFailure == null && actual != null && actual.equals(expected)) {
            accepted++;
            return;
        }
        if (expectedFailure == null) {
            assertThat(actualFailure).as("Jackson accepts: %s", what).isNull();
            // AccessEvent.equals compares every field (a recursive comparison is too slow for 40k).
            if (!actual.equals(expected)) assertThat(actual).as(what).usingRecursiveComparison().isEqualTo(expected);
            accepted++;
            return;
        }
        if (actualFailure == null) fail("Jackson rejects (" + expectedFailure.detail() + "), we accept: " + what);
        if (actualFailure.reason() != expectedFailure.reason()) {
            fail(actualFailure.reason() + " (" + actualFailure.detail() + ") instead of " + expectedFailure.reason()
                    + " (" + expectedFailure.detail() + "): " + what);
        }
        if (expectedFailure.reason() == DeadLetterReason.WAF_INVALID_FIELD) {
            if (!actualFailure.detail().equals(expectedFailure.detail())) {
                assertThat(actualFailure.detail()).as(what).isEqualTo(expectedFailure.detail());
            }
        } else if (!actualFailure.detail().equals("not a JSON object") && !BYTE_OFFSET.matcher(actualFailure.detail()).matches()) {
            fail("no byte offset in '" + actualFailure.detail() + "': " + what);
        }
        // Same parse on the bytes of a longer buffer: offsets are relative to the line.
        byte[] padded = ("\n" + line + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            parser.parse(padded, 1, padded.length - 1);
            fail("accepted from a byte range: " + what);
        } catch (LogParseException e) {
            if (!e.detail().equals(actualFailure.detail())) {
                fail("'" + e.detail() + "' from a byte range, '" + actualFailure.detail() + "' from the String: " + what);
            }
        }
    }

    private static List<String> seeds() {
        List<String> seeds = new ArrayList<>();
        for (String s : Samples.WAF) seeds.add(Samples.line(s));
        seeds.add(BASE);
        return seeds;
    }

    /** Replaces the value after a random ':' (up to the next ',' or '}') with one of {@link #VALUES}. */
    private static String replaceAValue(String line, Random random) {
        int colon = line.indexOf(':', random.nextInt(Math.max(1, line.length())));
        if (colon < 0) return line;
        int end = colon + 1;
        while (end < line.length() && ",}]".indexOf(line.charAt(end)) < 0) end++;
        return line.substring(0, colon + 1) + VALUES[random.nextInt(VALUES.length)] + line.substring(end);
    }

    /** Inserts a member (name from {@link #NAMES}, value from {@link #VALUES}) after a random '{'. */
    private static String insertAMember(String line, Random random) {
        int brace = line.indexOf('{', random.nextInt(Math.max(1, line.length())));
        if (brace < 0) brace = 0;
        if (brace >= line.length()) return line;
        String member = "\"" + NAMES[random.nextInt(NAMES.length)] + "\":" + VALUES[random.nextInt(VALUES.length)];
        return line.substring(0, brace + 1) + member + (line.charAt(brace + 1) == '}' ? "" : ",")
                + line.substring(brace + 1);
    }

    private static String insertWhitespace(String line, Random random) {
        for (int k = 1 + random.nextInt(4); k > 0; k--) {
            int at = random.nextInt(line.length() + 1);
            line = line.substring(0, at) + WHITESPACE[random.nextInt(WHITESPACE.length)] + line.substring(at);
        }
        return line;
    }

    /** Rewrites a random character as a {@code \}{@code uXXXX} escape (inside a string it means the same). */
    private static String escapeAChar(String line, Random random) {
        for (int k = 1 + random.nextInt(6); k > 0; k--) {
            int at = random.nextInt(line.length());
            char c = line.charAt(at);
            if (c == '"' || c == '\\') continue;
            String escape = String.format("\\u%04" + (random.nextBoolean() ? "x" : "X"), (int) c);
            line = line.substring(0, at) + escape + line.substring(at + 1);
        }
        return line;
    }
}
