package io.spikewatch.loader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spikewatch.loader.LogRecordPacker.Format;
import io.spikewatch.loader.LogRecordPacker.Packed;
import io.spikewatch.parsing.RecordDecoder;
import io.spikewatch.records.DeadLetter;
import io.spikewatch.records.RawRecord;
import io.spikewatch.testing.TestLogLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Packing lines into Kinesis records, checked by decoding them back with the job's own decoder. */
class LogRecordPackerTest {
    private static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();

    static List<String> sampleLines(int n) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(switch (i % 4) {
                case 0 -> TestLogLines.waf(T0 + i, "198.51.100." + (i % 250), "DE", "ALLOW", "/p/" + i, "req-" + i);
                case 1 -> TestLogLines.alb(T0 + i, "203.0.113." + (i % 250), 200, "/a/" + i);
                case 2 -> TestLogLines.waf(T0 + i, "2001:db8::" + Integer.toHexString(i), "JP", "BLOCK",
                        "/ユニコード/" + i, "req-" + i);
                default -> TestLogLines.alb(T0 + i, "192.0.2." + (i % 250), 503, "/caf\u00e9/" + i);
            });
        }
        return lines;
    }

    static List<Packed> pack(Format format, int batchLines, List<String> lines) throws IOException {
        List<Packed> out = new ArrayList<>();
        LogRecordPacker packer = new LogRecordPacker(format, batchLines, null, new Random(7), out::add);
        for (String line : lines) packer.add(line);
        packer.finish();
        return out;
    }

    /** What the job's parse step will see: every record through RecordDecoder, lines in order. */
    static List<String> decode(List<Packed> records) {
        RecordDecoder decoder = new RecordDecoder();
        List<String> lines = new ArrayList<>();
        List<DeadLetter> dead = new ArrayList<>();
        for (Packed p : records) {
            decoder.decode(new RawRecord("test", p.data(), 1L), new RecordDecoder.LineSink() {
                @Override
                public void line(String line) {
                    lines.add(line);
                }

                @Override
                public void deadLetter(DeadLetter d) {
                    dead.add(d);
                }
            });
        }
        assertThat(dead).as("dead letters").isEmpty();
        return lines;
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void everyFormatDecodesBackToTheSameLinesInOrder(Format format) throws IOException {
        List<String> lines = sampleLines(257);
        List<Packed> records = pack(format, 50, lines);

        assertThat(decode(records)).containsExactlyElementsOf(lines);
        assertThat(records.stream().mapToInt(Packed::lines).sum()).isEqualTo(lines.size());
        // 257 lines: one record each, or 5 full batches of 50 and a last one of 7.
        assertThat(records).hasSize(format == Format.LINES ? 257 : 6);
        if (format != Format.LINES) assertThat(records.get(5).lines()).isEqualTo(7);
    }

    @Test
    void blankLinesAreDroppedLikeTheDecoderDropsThem() throws IOException {
        List<Packed> records = pack(Format.GZIP, 10, List.of("a", "", "   ", "b"));
        assertThat(records).hasSize(1);
        assertThat(records.get(0).lines()).isEqualTo(2);
        assertThat(decode(records)).containsExactly("a", "b");
    }

    @Test
    void gzipRecordsStartWithTheGzipMagic() throws IOException {
        for (Packed p : pack(Format.GZIP, 3, sampleLines(3))) {
            assertThat(p.data()[0]).isEqualTo((byte) 0x1f);
            assertThat(p.data()[1]).isEqualTo((byte) 0x8b);
        }
    }

    @Test
    void cloudWatchRecordsAreSubscriptionEnvelopesAsAwsDeliversThem() throws IOException {
        List<String> lines = sampleLines(3);
        List<Packed> records = pack(Format.CLOUDWATCH, 3, lines);
        assertThat(records).hasSize(1);

        JsonNode env;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(records.get(0).data()))) {
            env = new ObjectMapper().readTree(in);
        }
        assertThat(env.get("messageType").asText()).isEqualTo("DATA_MESSAGE");
        assertThat(env.get("owner").asText()).matches("\\d{12}");
        assertThat(env.get("logGroup").asText()).startsWith("aws-waf-logs-");
        assertThat(env.get("logStream").asText()).isNotEmpty();
        assertThat(env.get("subscriptionFilters").isArray()).isTrue();
        assertThat(env.get("subscriptionFilters").get(0).asText()).isNotEmpty();
        JsonNode events = env.get("logEvents");
        assertThat(events).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(events.get(i).get("id").asText()).matches("\\d{56}");
            assertThat(events.get(i).get("message").asText()).isEqualTo(lines.get(i));
            // The event time of the log line (WAF timestamp, ALB time field), as CloudWatch keeps it.
            assertThat(events.get(i).get("timestamp").asLong()).isEqualTo(T0 + i);
        }
        assertThat(events.get(0).get("id").asText()).isNotEqualTo(events.get(2).get("id").asText());
    }

    @Test
    void linesAreKeyedByClientIpSoAClientStaysOnOneShard() throws IOException {
        List<Packed> records = pack(Format.LINES, 1, sampleLines(4));
        assertThat(records).extracting(Packed::partitionKey)
                .containsExactly("198.51.100.0", "203.0.113.1", "2001:db8::2", "192.0.2.3");
        assertThat(pack(Format.LINES, 1, List.of("not a log line")).get(0).partitionKey()).matches("[0-9a-f]{16}");
        assertThat(pack(Format.GZIP, 4, sampleLines(4)).get(0).partitionKey()).matches("[0-9a-f]{16}");
    }

    @Test
    void clientIpOfAlbIpv6AndMalformedLines() {
        assertThat(LogRecordPacker.clientIp(TestLogLines.alb(T0, "2001:db8::7", 200, "/"))).isEqualTo("2001:db8::7");
        assertThat(LogRecordPacker.clientIp("https 2026-11-02T10:00:00.000000Z app/x [2001:db8::8]:443 -")).isEqualTo("2001:db8::8");
        assertThat(LogRecordPacker.clientIp("{\"clientIp\":\"<script>\"}")).isNull();
        assertThat(LogRecordPacker.clientIp("short")).isNull();
        assertThat(LogRecordPacker.clientIp("")).isNull();
    }

    @Test
    void batchesAboveOneMebibyteAreSplitAndOversizedLinesSkipped() throws IOException {
        // Barely compressible lines: 64 x 64 KiB of random Base64 gzip to about 3 MiB, so the batch must split.
        Random r = new Random(1);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            byte[] noise = new byte[48 * 1024];
            r.nextBytes(noise);
            lines.add("line-" + i + " " + java.util.Base64.getEncoder().encodeToString(noise));
        }
        for (Format format : List.of(Format.GZIP, Format.CLOUDWATCH)) {
            List<Packed> records = pack(format, 64, lines);
            assertThat(records.size()).as(format.label()).isGreaterThan(2);
            assertThat(records).allSatisfy(p -> assertThat(p.size()).isLessThanOrEqualTo(LogRecordPacker.MAX_RECORD_BYTES));
            assertThat(decode(records)).containsExactlyElementsOf(lines);
        }

        String huge = "x".repeat(LogRecordPacker.MAX_RECORD_BYTES);
        List<Packed> out = new ArrayList<>();
        LogRecordPacker packer = new LogRecordPacker(Format.LINES, 1, null, new Random(1), out::add);
        packer.add("small");
        packer.add(huge);
        packer.add("after");
        packer.finish();
        assertThat(out).extracting(p -> new String(p.data())).containsExactly("small", "after");
        assertThat(packer.skippedLines()).isEqualTo(1);
    }

    @Test
    void eventTimeFallsBackWhenTheLineHasNone() {
        assertThat(LogRecordPacker.eventTime(TestLogLines.waf(T0, "192.0.2.1", "US", "ALLOW", "/", "r"), 5)).isEqualTo(T0);
        assertThat(LogRecordPacker.eventTime(TestLogLines.alb(T0 + 123, "192.0.2.1", 200, "/"), 5)).isEqualTo(T0 + 123);
        assertThat(LogRecordPacker.eventTime("{\"x\":1}", 5)).isEqualTo(5);
        assertThat(LogRecordPacker.eventTime("garbage here too", 5)).isEqualTo(5);
        assertThat(LogRecordPacker.eventId(T0, 42)).hasSize(56).endsWith("42");
    }
}
