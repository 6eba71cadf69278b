package io.spikewatch.parsing;

import io.spikewatch.enrichment.IpLiteral;
import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.DeadLetter;
import io.spikewatch.records.DeadLetterReason;
import io.spikewatch.records.RawRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Random mutations and truncations of the documentation samples (fixed seeds, so a failure is
 * reproducible): the line parser and the decoder never throw, every non-blank line yields exactly
 * one event or dead letter, and no input reaches the internal-error safety net.
 */
class ParsingFuzzTest {
    private static final String[] TOKENS = {
        "\"", "\\", "\\\"", "{", "}", "[", "]", ":", ",", " ", "  ", "-", "-1", "\r", "\n", "\t", "\u0000",
        "😀", "\uD800", "\uDC00", "\u202e", "مرحبا", "0", "9", "99999999999999999999", "1e999", "null", "true",
        "\"messageType\"", "\\u", "\\ud83d", "::", "[", "]:", "%", "http ", "https ", "{\"a\":", "Z", "T", "."
    };
    private static final Set<String> REASON_CODES = Arrays.stream(DeadLetterReason.values())
            .map(DeadLetterReason::code).collect(Collectors.toSet());

    private final LogLineParser lineParser = new LogLineParser();
    private final WafLogParser waf = new WafLogParser();
    private final AlbLogParser alb = new AlbLogParser();
    private final RecordDecoder decoder = new RecordDecoder();

    private static List<String> seeds() {
        List<String> seeds = new ArrayList<>();
        for (String s : Samples.WAF) seeds.add(Samples.line(s));
        for (String s : Samples.ALB) seeds.add(Samples.line(s));
        return seeds;
    }

    @Test
    void mutatedLinesAlwaysGiveOneEventOrDeadLetter() {
        Random random = new Random(20240601L);
        List<String> seeds = seeds();
        int events = 0;
        for (int i = 0; i < 4000; i++) {
            String line = mutate(seeds.get(random.nextInt(seeds.size())), random);

            CollectingOutput out = new CollectingOutput();
            try {
                lineParser.parse(line, "fuzz", 1L, out);
            } catch (RuntimeException e) {
                fail("LogLineParser threw on input #" + i + ": " + line, e);
            }
            int expected = isBlank(line) ? 0 : 1;
            assertThat(out.events.size() + out.deadLetters.size()).as("outputs for #%d: %s", i, line).isEqualTo(expected);
            out.events.forEach(e -> assertValidEvent(e, line));
            out.deadLetters.forEach(d -> assertValidDeadLetter(d, line));
            events += out.events.size();

            // Each parser, on any input (even the other family's), only ever fails with LogParseException.
            parseDirectly(line);

            // Plain records reach the line parser as UTF-8 bytes: same output for the same text
            // (a String with a lone surrogate has no UTF-8 form, so it cannot arrive as bytes).
            byte[] utf8 = line.getBytes(StandardCharsets.UTF_8);
            if (new String(utf8, StandardCharsets.UTF_8).equals(line)) {
                CollectingOutput fromBytes = new CollectingOutput();
                lineParser.parse(utf8, 0, utf8.length, "fuzz", 1L, fromBytes);
                assertThat(fromBytes.events).as("#%d: %s", i, line).usingRecursiveFieldByFieldElementComparator()
                        .isEqualTo(out.events);
                assertThat(fromBytes.deadLetters).as("#%d: %s", i, line).usingRecursiveFieldByFieldElementComparator()
                        .isEqualTo(out.deadLetters);
            }
        }
        assertThat(events).as("mutations should leave some lines parseable").isGreaterThan(100);
    }

    @Test
    void mutatedRecordsNeverThrowAndAlwaysAccountForContent() {
        Random random = new Random(7L);
        List<String> seeds = seeds();
        for (int i = 0; i < 1500; i++) {
            List<String> lines = new ArrayList<>();
            int n = 1 + random.nextInt(4);
            for (int k = 0; k < n; k++) lines.add(seeds.get(random.nextInt(seeds.size())));

            byte[] data = switch (random.nextInt(3)) {
                case 0 -> RecordDecoderTest.utf8(String.join(random.nextBoolean() ? "\n" : "\r\n", lines));
                case 1 -> RecordDecoderTest.gzip(RecordDecoderTest.utf8(String.join("\n", lines)));
                default -> RecordDecoderTest.gzip(RecordDecoderTest.dataMessage(lines.toArray(String[]::new)));
            };
            boolean mutated = random.nextInt(4) != 0;
            if (mutated) data = mutateBytes(data, random);

            CollectingOutput out = new CollectingOutput();
            CollectingOutput parsed = new CollectingOutput();
            try {
                decoder.decode(new RawRecord("fuzz", data, 1L), new RecordDecoder.LineSink() {
                    @Override
                    public void line(String line) {
                        out.line(line);
                        lineParser.parse(line, "fuzz", 1L, parsed);
                    }

                    @Override
                    public void deadLetter(DeadLetter d) {
                        out.deadLetter(d);
                    }
                });
            } catch (RuntimeException e) {
                fail("RecordDecoder threw on record #" + i, e);
            }
            for (String line : out.lines) {
                assertThat(isBlank(line)).isFalse();
                assertThat(line).doesNotContain("\n");
            }
            String context = "record #" + i;
            out.deadLetters.forEach(d -> assertValidDeadLetter(d, context));
            parsed.deadLetters.forEach(d -> assertValidDeadLetter(d, context));
            assertThat(parsed.events.size() + parsed.deadLetters.size()).isEqualTo(out.lines.size());

            if (!mutated) {
                assertThat(out.deadLetters).as("record #%d", i).isEmpty();
                assertThat(out.lines).as("record #%d", i).containsExactlyElementsOf(lines);
                assertThat(parsed.deadLetters).as("record #%d", i).isEmpty();
            } else if (!(data.length >= 2 && data[0] == 0x1f && data[1] == (byte) 0x8b)) {
                String text = new String(data, StandardCharsets.UTF_8);
                if (!isBlank(text) && !text.contains("\"messageType\"")) {
                    assertThat(out.total()).as("plain record #%d must give lines or a dead letter", i).isPositive();
                }
            }
        }
    }

    private void parseDirectly(String line) {
        try {
            waf.parse(line);
        } catch (LogParseException expected) {
            assertThat(expected.reason().code()).startsWith("waf_");
        } catch (RuntimeException e) {
            fail("WafLogParser threw " + e + " on: " + line, e);
        }
        try {
            alb.parse(line);
        } catch (LogParseException expected) {
            assertThat(expected.reason().code()).startsWith("alb_");
        } catch (RuntimeException e) {
            fail("AlbLogParser threw " + e + " on: " + line, e);
        }
    }

    private static void assertValidEvent(AccessEvent e, String line) {
        assertThat(e.source).as(line).isNotNull();
        assertThat(e.clientIp).as(line).isNotNull();
        assertThat(IpLiteral.isValid(e.clientIp)).as(line).isTrue();
        assertThat(e.action).as(line).isIn("ALLOW", "BLOCK", "COUNT", "CAPTCHA", "CHALLENGE");
        assertThat(e.timestamp).as(line).isPositive();
        assertThat(e.status).as(line).isBetween(0, 999);
        if (e.country != null) assertThat(e.country).as(line).matches("[A-Z]{2}");
    }

    private static void assertValidDeadLetter(DeadLetter d, String context) {
        assertThat(d.reason).as(context).isIn(REASON_CODES).isNotEqualTo(DeadLetterReason.INTERNAL_ERROR.code());
        assertThat(d.source).as(context).isIn("waf", "alb", "unknown");
        assertThat(d.rawExcerpt).as(context).isNotNull();
        assertThat(d.rawExcerpt.length()).as(context).isLessThanOrEqualTo(DeadLetter.MAX_EXCERPT_CHARS);
        assertThat(d.detail.length()).as(context).isLessThanOrEqualTo(LogParseException.MAX_DETAIL_CHARS + 1);
    }

    static String mutate(String s, Random random) {
        int ops = 1 + random.nextInt(3);
        for (int k = 0; k < ops; k++) {
            int len = s.length();
            int at = len == 0 ? 0 : random.nextInt(len + 1);
            switch (random.nextInt(7)) {
                case 0 -> s = s.substring(0, at); // truncate
                case 1 -> s = s.substring(0, at) + TOKENS[random.nextInt(TOKENS.length)] + s.substring(at);
                case 2 -> { // delete a range
                    int end = Math.min(len, at + 1 + random.nextInt(20));
                    s = s.substring(0, at) + s.substring(end);
                }
                case 3 -> { // replace one char with a random one, often ASCII punctuation
                    if (at < len) {
                        char c = random.nextBoolean() ? (char) (32 + random.nextInt(95)) : (char) random.nextInt(0x3000);
                        s = s.substring(0, at) + c + s.substring(at + 1);
                    }
                }
                case 4 -> { // duplicate a slice
                    int end = Math.min(len, at + random.nextInt(40));
                    s = s.substring(0, end) + s.substring(at, end) + s.substring(end);
                }
                case 5 -> s = s.substring(at) + s.substring(0, at); // rotate
                default -> { // swap a digit, where the values we parse live
                    int d = s.indexOf(Character.forDigit(random.nextInt(10), 10), at);
                    if (d >= 0) s = s.substring(0, d) + (char) ('0' + random.nextInt(10)) + s.substring(d + 1);
                }
            }
        }
        return s;
    }

    static byte[] mutateBytes(byte[] data, Random random) {
        byte[] b = data.clone();
        switch (random.nextInt(4)) {
            case 0 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));
            case 1 -> {
                for (int k = 0; k < 1 + random.nextInt(3); k++) b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            case 2 -> {
                int at = random.nextInt(b.length + 1);
                byte[] junk = new byte[1 + random.nextInt(8)];
                random.nextBytes(junk);
                b = RecordDecoderTest.concat(Arrays.copyOf(b, at), junk, Arrays.copyOfRange(b, at, b.length));
            }
            default -> {
                // Keep the gzip header but damage the deflate stream or trailer near the end.
                int at = Math.max(0, b.length - 1 - random.nextInt(Math.min(b.length, 16)));
                b[at] ^= (byte) (1 << random.nextInt(8));
            }
        }
        return b;
    }

    private static boolean isBlank(String s) {
        int len = s.length();
        while (len > 0 && s.charAt(len - 1) == '\r') len--;
        for (int i = 0; i < len; i++) {
            if (!Character.isWhitespace(s.charAt(i))) return false;
        }
        return true;
    }
}
