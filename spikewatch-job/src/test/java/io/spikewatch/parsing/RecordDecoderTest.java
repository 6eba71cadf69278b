package io.spikewatch.parsing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spikewatch.records.DeadLetter;
import io.spikewatch.records.RawRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Plain, gzip and CloudWatch Logs records, and every way they can be broken, for {@link RecordDecoder}. */
class RecordDecoderTest {
    private static final String STREAM = "kinesis-waf";
    private static final long ARRIVAL = 1_700_000_000_000L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final RecordDecoder decoder = new RecordDecoder();
    private final CollectingOutput out = new CollectingOutput();

    private final String waf1 = Samples.line("waf-sqli-block.json");
    private final String waf2 = Samples.line("waf-sqli-count-allow.json");
    private final String waf3 = Samples.line("waf-captcha-missing-token.json");
    private final String alb1 = Samples.line("alb-http.log");

    // ---- plain text ------------------------------------------------------------------------------

    @Test
    void singleLine() {
        decode(utf8(waf1));
        assertThat(out.lines).containsExactly(waf1);
        assertThat(out.deadLetters).isEmpty();
    }

    @Test
    void multiLineRecordWithLfCrLfAndBlankLines() {
        decode(utf8(waf1 + "\n" + alb1 + "\r\n\r\n   \n" + waf2 + "\r\n"));
        assertThat(out.lines).containsExactly(waf1, alb1, waf2);
        assertThat(out.deadLetters).isEmpty();
    }

    @Test
    void plainAndGzipRecordsHandOnByteRangesEnvelopesStrings() {
        decode(utf8(waf1 + "\n" + alb1));
        decode(gzip(utf8(waf2)));
        assertThat(out.byteLines).isEqualTo(3);
        decode(gzip(dataMessage(waf3)));
        assertThat(out.lines).containsExactly(waf1, alb1, waf2, waf3);
        assertThat(out.byteLines).as("CloudWatch messages are Strings").isEqualTo(3);
    }

    @Test
    void recordOfSeveralLinesParsesLineByLineFromBytes() throws Exception {
        // Three WAF lines, then one WAF record pretty-printed over several lines: each line is parsed
        // on its own (a JSON record must be one line), exactly as when the record was a String.
        String pretty = "{\n  \"timestamp\": 1,\r\n  \"action\": \"ALLOW\"\n}";
        String text = waf1 + "\r\n" + waf2 + "\n\n" + waf3 + "\n" + pretty + "\n";
        LogLineParser lines = new LogLineParser();
        CollectingOutput fromBytes = new CollectingOutput();
        decoder.decode(new RawRecord(STREAM, utf8(text), ARRIVAL), new RecordDecoder.LineSink() {
            @Override
            public void line(String line) {
                throw new AssertionError("a plain record must be handed on as bytes: " + line);
            }

            @Override
            public void line(byte[] buf, int from, int to) {
                lines.parse(buf, from, to, STREAM, ARRIVAL, fromBytes);
            }

            @Override
            public void deadLetter(DeadLetter d) {
                fromBytes.deadLetter(d);
            }
        });
        CollectingOutput fromStrings = new CollectingOutput();
        for (String line : text.split("\n")) lines.parse(line, STREAM, ARRIVAL, fromStrings);

        assertThat(fromBytes.events).extracting(e -> e.timestamp).containsExactly(
                new WafLogParser().parse(waf1).timestamp, new WafLogParser().parse(waf2).timestamp,
                new WafLogParser().parse(waf3).timestamp);
        assertThat(fromBytes.events).usingRecursiveFieldByFieldElementComparator().isEqualTo(fromStrings.events);
        assertThat(fromBytes.deadLetters).extracting(d -> d.reason)
                .containsExactly("waf_invalid_json", "unknown_format", "unknown_format", "unknown_format");
        assertThat(fromBytes.deadLetters).usingRecursiveFieldByFieldElementComparator().isEqualTo(fromStrings.deadLetters);
    }

    @Test
    void linesOfNonAsciiWhitespaceAreBlank() {
        // Character.isWhitespace, as for Strings: U+2003 and U+3000 are blank, U+00A0 (no-break) is not.
        decode(utf8(waf1 + "\n\u2003\u3000\r\n\u00a0\n\u2028"));
        assertThat(out.lines).containsExactly(waf1, "\u00a0");
    }

    @Test
    void utf8CheckAgreesWithTheJdkDecoderOnRandomBytes() {
        java.util.Random random = new java.util.Random(11);
        byte[][] interesting = {{(byte) 0xC2, (byte) 0x80}, {(byte) 0xE0, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xED, (byte) 0x9F, (byte) 0xBF}, {(byte) 0xF0, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xF4, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF}, {(byte) 0xF4, (byte) 0x90}, {(byte) 0xC1},
            {(byte) 0xE0, (byte) 0x9F}, {(byte) 0xED, (byte) 0xA0}, {(byte) 0xF5}, {(byte) 0x80}, {'a'}};
        for (int i = 0; i < 20_000; i++) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            for (int k = random.nextInt(8); k >= 0; k--) {
                if (random.nextInt(4) == 0) bytes.write(random.nextInt(256));
                else bytes.writeBytes(interesting[random.nextInt(interesting.length)]);
            }
            byte[] b = bytes.toByteArray();
            java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(b);
            java.nio.charset.CoderResult jdk = StandardCharsets.UTF_8.newDecoder()
                    .decode(in, java.nio.CharBuffer.allocate(b.length + 1), true);
            String expected = jdk.isError() ? "invalid UTF-8 at byte " + in.position() : null;
            String actual = null;
            try {
                Utf8Text.validate(b, 0, b.length);
            } catch (LogParseException e) {
                actual = e.detail();
            }
            assertThat(actual).as("%s", java.util.HexFormat.ofDelimiter(" ").formatHex(b)).isEqualTo(expected);
        }
    }

    @Test
    void emptyAndBlankRecordsProduceNothing() {
        decode(new byte[0]);
        decode(utf8("\n\r\n  \n"));
        decoder.decode(new RawRecord(STREAM, null, ARRIVAL), out);
        decoder.decode(null, out);
        assertThat(out.total()).isZero();
    }

    @Test
    void byteOrderMarkIsDropped() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        decode(concat(bom, utf8(alb1)));
        assertThat(out.lines).containsExactly(alb1);
    }

    @Test
    void unicodeTextSurvivesDecoding() {
        String line = alb1.replace("curl/7.46.0", "bot 😀 مرحبا \u202e");
        decode(utf8(line));
        assertThat(out.lines).containsExactly(line);
    }

    @Test
    void invalidUtf8IsUndecodable() {
        byte[] bad = concat(utf8(alb1.substring(0, 20)), new byte[] {(byte) 0xC3, (byte) 0x28}, utf8(" rest"));
        decode(bad);
        assertThat(out.lines).isEmpty();
        DeadLetter d = single();
        assertThat(d.reason).isEqualTo("undecodable_record");
        assertThat(d.detail).contains("byte 20");
        assertThat(Base64.getDecoder().decode(d.rawExcerpt.substring("base64:".length()))).isEqualTo(bad);

        out.deadLetters.clear();
        decode(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}); // an encoded lone surrogate
        assertThat(single().reason).isEqualTo("undecodable_record");
        out.deadLetters.clear();
        decode(new byte[] {(byte) 0xC0, (byte) 0xAF}); // overlong '/'
        assertThat(single().reason).isEqualTo("undecodable_record");
    }

    @Test
    void plainRecordOverTheCapIsOversized() {
        RecordDecoder small = new RecordDecoder(100);
        small.decode(new RawRecord(STREAM, utf8("x".repeat(101)), ARRIVAL), out);
        assertThat(single().reason).isEqualTo("oversized");
        out.deadLetters.clear();
        small.decode(new RawRecord(STREAM, utf8("x".repeat(100)), ARRIVAL), out);
        assertThat(out.lines).hasSize(1);
    }

    // ---- gzip ------------------------------------------------------------------------------------

    @Test
    void gzipOfSeveralLines() {
        decode(gzip(utf8(waf1 + "\n" + alb1 + "\r\n" + waf2)));
        assertThat(out.lines).containsExactly(waf1, alb1, waf2);
        assertThat(out.deadLetters).isEmpty();
    }

    @Test
    void concatenatedGzipMembersAreOneStream() {
        decode(concat(gzip(utf8(waf1 + "\n")), gzip(utf8(alb1 + "\n"))));
        assertThat(out.lines).containsExactly(waf1, alb1);
    }

    @Test
    void corruptAndTruncatedGzip() {
        byte[] good = gzip(utf8(waf1 + "\n" + waf2));

        byte[] truncated = Arrays.copyOf(good, good.length / 2);
        decode(truncated);
        DeadLetter d = single();
        assertThat(d.reason).isEqualTo("corrupt_gzip");
        assertThat(d.source).isEqualTo("unknown");
        assertThat(d.stream).isEqualTo(STREAM);
        assertThat(d.timestamp).isEqualTo(ARRIVAL);
        assertThat(d.rawExcerpt).startsWith("base64:").hasSizeLessThanOrEqualTo(DeadLetter.MAX_EXCERPT_CHARS);

        out.deadLetters.clear();
        byte[] flipped = good.clone();
        flipped[flipped.length / 2] ^= 0x5a;
        decode(flipped);
        assertThat(single().reason).isEqualTo("corrupt_gzip");

        out.deadLetters.clear();
        byte[] badCrc = good.clone();
        badCrc[badCrc.length - 6] ^= 1; // inside the CRC32 trailer
        decode(badCrc);
        assertThat(single().reason).isEqualTo("corrupt_gzip");

        out.deadLetters.clear();
        decode(new byte[] {0x1f, (byte) 0x8b});
        assertThat(single().reason).isEqualTo("corrupt_gzip");
        assertThat(out.lines).isEmpty();
    }

    @Test
    void gzipBombIsOversizedQuicklyAndWithBoundedMemory() {
        byte[] bomb = gzipOfZeros(100 * 1024 * 1024);
        assertThat(bomb.length).isLessThan(200_000);

        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long allocatedBefore = threads.getThreadAllocatedBytes(thread);
        long started = System.nanoTime();
        decode(bomb);
        long millis = (System.nanoTime() - started) / 1_000_000;
        long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;

        DeadLetter d = single();
        assertThat(d.reason).isEqualTo("oversized");
        assertThat(d.detail).contains(String.valueOf(RecordDecoder.DEFAULT_MAX_DECOMPRESSED_BYTES));
        assertThat(out.lines).isEmpty();
        // The 16 MiB limit with doubling growth allocates about 32 MiB; inflating everything would be 100+ MiB.
        assertThat(allocated).as("bytes allocated").isLessThan(48L * 1024 * 1024);
        assertThat(millis).as("milliseconds").isLessThan(5_000);
    }

    @Test
    void gzipJustUnderTheCapIsDecoded() {
        RecordDecoder small = new RecordDecoder(1000);
        String text = "x".repeat(999) + "\n";
        small.decode(new RawRecord(STREAM, gzip(utf8(text)), ARRIVAL), out);
        assertThat(out.lines).containsExactly("x".repeat(999));
        small.decode(new RawRecord(STREAM, gzip(utf8(text + "y")), ARRIVAL), out);
        assertThat(single().reason).isEqualTo("oversized");
    }

    @Test
    void gzipOfInvalidUtf8IsUndecodable() {
        decode(gzip(new byte[] {'a', (byte) 0xFF, 'b'}));
        assertThat(single().reason).isEqualTo("undecodable_record");
    }

    // ---- CloudWatch Logs subscription payloads -----------------------------------------------------

    @Test
    void dataMessageWithThreeEventsEmitsEveryMessage() {
        // The third message holds two lines, as a multi-line log event would.
        byte[] payload = gzip(dataMessage(waf1, waf2, waf3 + "\r\n" + alb1));
        decode(payload);
        assertThat(out.lines).containsExactly(waf1, waf2, waf3, alb1);
        assertThat(out.deadLetters).isEmpty();
    }

    @Test
    void messageTypeAfterLogEventsIsStillRecognized() {
        ObjectNode env = MAPPER.createObjectNode();
        env.putArray("logEvents").addObject().put("id", "1").put("timestamp", 1).put("message", waf1);
        env.put("messageType", "DATA_MESSAGE");
        decode(gzip(utf8(env.toString())));
        assertThat(out.lines).containsExactly(waf1);
    }

    @Test
    void anObjectWhoseFirstKeyIsTimestampIsAWafRecordEvenWithATopLevelMessageType() {
        // Not something AWS writes (WAF records start with "timestamp", envelopes never have it),
        // so it is left to the WAF parser rather than searched for an envelope's key.
        String odd = "{\"timestamp\":1,\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"message\":\"x\"}]}";
        decode(utf8(odd));
        assertThat(out.lines).containsExactly(odd);

        out.lines.clear();
        String spaced = " { \"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\",\"timestamp\":1,\"message\":\"x\"}]}";
        decode(utf8(spaced));
        assertThat(out.lines).as("timestamp inside logEvents is not the first key").containsExactly("x");
    }

    @Test
    void controlMessageEmitsNothing() {
        decode(gzip(utf8(Samples.text("cloudwatch-control-message.json"))));
        assertThat(out.total()).isZero();
    }

    @Test
    void uncompressedEnvelopeIsAlsoAccepted() {
        decode(dataMessage(alb1));
        assertThat(out.lines).containsExactly(alb1);
    }

    @Test
    void concatenatedEnvelopesAreReadInTurn() {
        decode(gzip(concat(dataMessage(waf1), utf8(Samples.text("cloudwatch-control-message.json")),
                utf8("\n"), dataMessage(waf2, alb1))));
        assertThat(out.lines).containsExactly(waf1, waf2, alb1);
        assertThat(out.deadLetters).isEmpty();
    }

    @Test
    void wafLineWithAHeaderNamedMessageTypeIsNotAnEnvelope() {
        String tricky = waf1.replace("{\"name\":\"Accept\"", "{\"name\":\"messageType\",\"value\":\"DATA_MESSAGE\"},{\"name\":\"Accept\"");
        assertThat(tricky).contains("\"messageType\"");
        decode(utf8(tricky + "\n" + waf2));
        assertThat(out.lines).containsExactly(tricky, waf2);
        assertThat(out.deadLetters).isEmpty();

        out.lines.clear();
        String truncated = tricky.substring(0, tricky.length() - 10);
        decode(utf8(truncated));
        assertThat(out.lines).as("a broken WAF line is left to the line parser").containsExactly(truncated);
        assertThat(out.deadLetters).isEmpty();
    }

    @Test
    void brokenEnvelopesAreInvalid() {
        String valid = new String(dataMessage(waf1, waf2), StandardCharsets.UTF_8);
        String[] broken = {
            valid.substring(0, valid.length() - 5),
            "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"1\"}",
            "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":{}}",
            "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\"}]}",
            "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"message\":42}]}",
            "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[\"line\"]}",
            "{\"messageType\":7,\"logEvents\":[]}",
            "{\"messageType\":\"SOMETHING_ELSE\",\"logEvents\":[]}",
            valid + " trailing",
            valid + "{\"owner\":\"x\"}",
        };
        for (String text : broken) {
            out.lines.clear();
            out.deadLetters.clear();
            decode(gzip(utf8(text)));
            assertThat(out.deadLetters).as(text).singleElement().satisfies(d -> {
                assertThat(d.reason).isEqualTo("invalid_cloudwatch_envelope");
                assertThat(d.source).isEqualTo("unknown");
                assertThat(d.rawExcerpt).isEqualTo(DeadLetter.excerpt(text));
            });
            if (!text.startsWith(valid)) {
                assertThat(out.lines).as("an envelope is all or nothing: %s", text).isEmpty();
            }
        }
    }

    @Test
    void completeEnvelopesBeforeABrokenOneAreKept() {
        byte[] first = dataMessage(waf1);
        decode(gzip(concat(first, utf8("{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"message\":\"x\"}"))));
        assertThat(out.lines).containsExactly(waf1);
        assertThat(single().reason).isEqualTo("invalid_cloudwatch_envelope");
    }

    @Test
    void dataMessageWithNoEventsEmitsNothing() {
        decode(gzip(dataMessage()));
        assertThat(out.total()).isZero();
    }

    @Test
    void exceptionsFromTheSinkPropagate() {
        RecordDecoder.LineSink failing = new RecordDecoder.LineSink() {
            @Override
            public void line(String line) {
                throw new IllegalStateException("downstream failure");
            }

            @Override
            public void deadLetter(DeadLetter d) {
                out.deadLetter(d);
            }
        };
        assertThatThrownBy(() -> decoder.decode(new RawRecord(STREAM, utf8(waf1), ARRIVAL), failing))
                .isInstanceOf(IllegalStateException.class);
        assertThat(out.deadLetters).isEmpty();
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private void decode(byte[] data) {
        decoder.decode(new RawRecord(STREAM, data, ARRIVAL), out);
    }

    private DeadLetter single() {
        assertThat(out.deadLetters).hasSize(1);
        return out.deadLetters.get(0);
    }

    /** A DATA_MESSAGE envelope shaped like the CloudWatch Logs documentation's example. */
    static byte[] dataMessage(String... messages) {
        ObjectNode env = MAPPER.createObjectNode();
        env.put("owner", "123456789012");
        env.put("logGroup", "aws-waf-logs-example");
        env.put("logStream", "us-east-1_example_0");
        env.putArray("subscriptionFilters").add("spikewatch");
        env.put("messageType", "DATA_MESSAGE");
        ArrayNode events = env.putArray("logEvents");
        for (int i = 0; i < messages.length; i++) {
            events.addObject().put("id", "3195310660696698337880902507980421114328961542429822156" + i)
                    .put("timestamp", 1432826855000L + i).put("message", messages[i]);
        }
        return utf8(env.toString());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Streams zeros through the compressor so the test itself never holds the inflated size. */
    static byte[] gzipOfZeros(int size) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] chunk = new byte[64 * 1024];
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            for (int written = 0; written < size; written += chunk.length) gz.write(chunk);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte[] p : parts) bytes.writeBytes(p);
        return bytes.toByteArray();
    }
}
