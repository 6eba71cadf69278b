package io.spikewatch.parsing;

import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.DeadLetter;
import io.spikewatch.records.LogSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Format detection, blank lines, size cap and the exception-to-dead-letter contract of {@link LogLineParser}. */
class LogLineParserTest {
    private static final String STREAM = "waf-stream";
    private static final long ARRIVAL = 1_700_000_123_456L;

    private final LogLineParser parser = new LogLineParser();
    private final CollectingOutput out = new CollectingOutput();

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t", "\r", "\r\r", " \t \r", "\u2003"})
    void blankLinesProduceNothing(String line) {
        parser.parse(line, STREAM, ARRIVAL, out);
        assertThat(out.total()).isZero();
    }

    @Test
    void nullLineProducesNothing() {
        parser.parse(null, STREAM, ARRIVAL, out);
        assertThat(out.total()).isZero();
    }

    @Test
    void detectsWafAndAlbPerLine() {
        for (String sample : Samples.WAF) parser.parse(Samples.line(sample), STREAM, ARRIVAL, out);
        for (String sample : Samples.ALB) parser.parse(Samples.line(sample), STREAM, ARRIVAL, out);
        assertThat(out.deadLetters).isEmpty();
        assertThat(out.events).extracting(e -> e.source).containsExactly(
                LogSource.WAF, LogSource.WAF, LogSource.WAF, LogSource.WAF, LogSource.WAF, LogSource.WAF,
                LogSource.ALB, LogSource.ALB, LogSource.ALB, LogSource.ALB, LogSource.ALB, LogSource.ALB,
                LogSource.ALB, LogSource.ALB);
    }

    @Test
    void trailingCarriageReturnAndLeadingBlanksAreTolerated() throws Exception {
        String waf = Samples.line("waf-sqli-block.json");
        String alb = Samples.line("alb-h2.log");
        parser.parse("  " + waf + "\r", STREAM, ARRIVAL, out);
        parser.parse(" " + alb + "\r\r", STREAM, ARRIVAL, out);
        assertThat(out.deadLetters).isEmpty();
        assertThat(out.events.get(0)).usingRecursiveComparison().isEqualTo(new WafLogParser().parse(waf));
        assertThat(out.events.get(1)).usingRecursiveComparison().isEqualTo(new AlbLogParser().parse(alb));
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello world", "https", "https\t2018-07-02T22:23:00Z", "HTTPS 2018", "[{\"a\":1}]",
        "tcp 2018-07-02T22:23:00Z x", "2018-07-02 GET /", "\u0000\u0001", "h2x 1 2"})
    void otherLinesAreUnknownFormat(String line) {
        parser.parse(line, STREAM, ARRIVAL, out);
        assertThat(out.events).isEmpty();
        assertThat(out.deadLetters).singleElement().satisfies(d -> {
            assertThat(d.reason).isEqualTo("unknown_format");
            assertThat(d.source).isEqualTo("unknown");
            assertThat(d.stream).isEqualTo(STREAM);
            assertThat(d.timestamp).isEqualTo(ARRIVAL);
            assertThat(d.rawExcerpt).isEqualTo(line);
        });
    }

    @Test
    void parseFailuresBecomeDeadLettersWithSourceStreamAndFallbackTime() {
        parser.parse("{\"timestamp\":1,", STREAM, ARRIVAL, out);
        parser.parse("{\"timestamp\":1,\"action\":\"ALLOW\"}", STREAM, ARRIVAL, out);
        parser.parse("https 2018-07-02T22:23:00.186641Z app/x 1.2.3.4:5", "alb-stream", ARRIVAL + 1, out);
        parser.parse(Samples.line("alb-http.log").replace("192.168.131.39:2817", "1.2.3.999:1"), "alb-stream",
                ARRIVAL + 2, out);
        assertThat(out.events).isEmpty();
        assertThat(out.deadLetters).extracting(d -> d.reason, d -> d.source, d -> d.stream, d -> d.timestamp)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("waf_invalid_json", "waf", STREAM, ARRIVAL),
                        org.assertj.core.groups.Tuple.tuple("waf_invalid_field", "waf", STREAM, ARRIVAL),
                        org.assertj.core.groups.Tuple.tuple("alb_truncated", "alb", "alb-stream", ARRIVAL + 1),
                        org.assertj.core.groups.Tuple.tuple("alb_invalid_field", "alb", "alb-stream", ARRIVAL + 2));
        assertThat(out.deadLetters.get(1).detail).contains("httpRequest.clientIp");
        assertThat(out.deadLetters.get(3).detail).contains("client");
        assertThat(out.deadLetters.get(0).rawExcerpt).isEqualTo("{\"timestamp\":1,");
    }

    @Test
    void linesOverTheCapAreOversizedWithoutParsing() {
        LogLineParser small = new LogLineParser(100);
        String waf = "{\"timestamp\":1700000000000,\"action\":\"ALLOW\",\"httpRequest\":{\"clientIp\":\"192.0.2.1\"}}";
        small.parse(waf, STREAM, ARRIVAL, out);
        assertThat(out.events).hasSize(1);

        String big = waf.replace("\"ALLOW\"", "\"ALLOW\",\"pad\":\"" + "x".repeat(100) + "\"");
        small.parse(big, STREAM, ARRIVAL, out);
        assertThat(out.deadLetters).singleElement().satisfies(d -> {
            assertThat(d.reason).isEqualTo("oversized");
            assertThat(d.source).isEqualTo("waf");
            assertThat(d.detail).contains(String.valueOf(big.length())).contains("100");
        });
    }

    @Test
    void hugeLineUnderDefaultCapGivesOneDeadLetterWithCappedExcerpt() {
        String huge = Samples.line("alb-http.log") + " \"" + "😀".repeat(40_000) + "\"";
        parser.parse(huge, STREAM, ARRIVAL, out);
        assertThat(out.deadLetters).singleElement().satisfies(d -> {
            assertThat(d.reason).isEqualTo("oversized");
            assertThat(d.source).isEqualTo("alb");
            assertThat(d.rawExcerpt).hasSizeLessThanOrEqualTo(DeadLetter.MAX_EXCERPT_CHARS);
            assertThat(Character.isHighSurrogate(d.rawExcerpt.charAt(d.rawExcerpt.length() - 1))).isFalse();
        });
    }

    @Test
    void lineExactlyAtTheCapIsParsed() {
        String line = Samples.line("alb-ws.log");
        new LogLineParser(line.length()).parse(line + "\r", STREAM, ARRIVAL, out);
        assertThat(out.events).hasSize(1);
    }

    /**
     * The byte entry point (plain records) must give exactly what the String one gives for the same
     * text: blanks by {@link Character#isWhitespace} incl. non-ASCII ones, the cap in chars not bytes,
     * excerpts cut at the same char.
     */
    @Test
    void bytePathGivesTheSameOutputAsTheStringPath() {
        String waf = Samples.line("waf-sqli-block.json");
        String alb = Samples.line("alb-http.log");
        String wafUnicode = waf.replace("curl/7.61.1", "bot 😀 مرحبا \u202e é");
        String albUnicode = alb.replace("curl/7.46.0", "bot 😀 مرحبا");
        String[] lines = {
            "", " ", "\r", "\u2003", "\u3000\u2028 \r", "\u00a0" + waf, "\u2003" + waf, "\u001c\u000b" + waf,
            " \t" + waf + "\r\r", waf, wafUnicode, albUnicode, alb + "\r", "https", "h2 ", "[]", "{", "é{",
            waf.substring(0, 100), waf.replace("\"BLOCK\"", "\"DROP\""),
            alb + " \"" + "😀".repeat(40_000) + "\"", "{\"x\":\"" + "é".repeat(70_000) + "\"}",
        };
        for (LogLineParser p : new LogLineParser[] {parser, new LogLineParser(wafUnicode.length()),
            new LogLineParser(albUnicode.length()), new LogLineParser(albUnicode.length() - 1)}) {
            for (String line : lines) {
                CollectingOutput fromString = new CollectingOutput();
                CollectingOutput fromBytes = new CollectingOutput();
                p.parse(line, STREAM, ARRIVAL, fromString);
                byte[] utf8 = ("xx" + line + "yy").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                p.parse(utf8, 2, utf8.length - 2, STREAM, ARRIVAL, fromBytes);
                String what = line.length() > 60 ? line.substring(0, 60) + "…" : line;
                assertThat(fromBytes.events).as(what).usingRecursiveFieldByFieldElementComparator()
                        .isEqualTo(fromString.events);
                assertThat(fromBytes.deadLetters).as(what).usingRecursiveFieldByFieldElementComparator()
                        .isEqualTo(fromString.deadLetters);
            }
        }
        // The cap counts chars: this line has more bytes than chars and is exactly at the cap.
        CollectingOutput atCap = new CollectingOutput();
        byte[] utf8 = wafUnicode.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(utf8.length).isGreaterThan(wafUnicode.length());
        new LogLineParser(wafUnicode.length()).parse(utf8, 0, utf8.length, STREAM, ARRIVAL, atCap);
        assertThat(atCap.deadLetters).isEmpty();
        assertThat(atCap.events).singleElement().satisfies(e -> assertThat(e.userAgent).isEqualTo("bot 😀 مرحبا \u202e é"));
    }

    @Test
    void exceptionsFromTheOutputAreNotTurnedIntoDeadLetters() {
        ParseOutput failing = new ParseOutput() {
            @Override
            public void event(AccessEvent e) {
                throw new IllegalStateException("downstream failure");
            }

            @Override
            public void deadLetter(DeadLetter d) {
                out.deadLetter(d);
            }
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> parser.parse(Samples.line("alb-http.log"), STREAM, ARRIVAL, failing))
                .isInstanceOf(IllegalStateException.class);
        assertThat(out.deadLetters).isEmpty();
    }
}
