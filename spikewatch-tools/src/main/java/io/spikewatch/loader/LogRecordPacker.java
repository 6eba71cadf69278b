package io.spikewatch.loader;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Packs log lines into Kinesis records in one of the shapes spikewatch reads
 * ({@code RecordDecoder} detects which, per record):
 * <ul>
 *   <li>{@link Format#LINES}: one line per record, UTF-8; partition key = the line's client IP when
 *       it is cheap to find (WAF {@code "clientIp"}, ALB's client field), so one client's requests
 *       stay in order on one shard; else random.
 *   <li>{@link Format#GZIP}: a gzip of up to {@code batchLines} newline-terminated lines; random key.
 *   <li>{@link Format#CLOUDWATCH}: a gzip CloudWatch Logs subscription payload exactly as a
 *       subscription filter delivers it to Kinesis ({@code messageType DATA_MESSAGE}, owner, logGroup,
 *       logStream, subscriptionFilters, up to {@code batchLines} logEvents with a 56-digit id, the
 *       event's timestamp in epoch ms and the line as {@code message}); random key.
 * </ul>
 * Blank lines are dropped (the decoder drops them too). A record never exceeds the Kinesis limit of
 * 1 MiB (data plus partition key): a batch that compresses above it is split in halves; a single line
 * that cannot fit is skipped and counted ({@link #skippedLines()}).
 *
 * <p>Not thread-safe; one packer per loader run.
 */
public final class LogRecordPacker {
    /** Kinesis limit on one record: data blob plus partition key. */
    public static final int MAX_RECORD_BYTES = 1024 * 1024;

    public enum Format {
        LINES, GZIP, CLOUDWATCH;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One Kinesis record ready to put. */
    public record Packed(byte[] data, String partitionKey, int lines) {
        /** Bytes this entry counts against the PutRecords and per-record limits. */
        public int size() {
            return data.length + partitionKey.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    /** Receives each record as soon as it is packed. */
    public interface Output {
        void accept(Packed record) throws IOException;
    }

    /** Envelope fields of {@link Format#CLOUDWATCH} records (what a subscription filter would set). */
    public record CloudWatchMeta(String owner, String logGroup, String logStream, String subscriptionFilter) {
        public static CloudWatchMeta defaults() {
            return new CloudWatchMeta("123456789012", "aws-waf-logs-spikewatch", "spikewatch-put", "spikewatch-put");
        }
    }

    private static final JsonFactory JSON = new JsonFactory();

    private final Format format;
    private final int batchLines;
    private final CloudWatchMeta meta;
    private final Random random;
    private final Output out;
    private final List<String> pending = new ArrayList<>();
    private long eventSequence;
    private long skippedLines;

    public LogRecordPacker(Format format, int batchLines, CloudWatchMeta meta, Random random, Output out) {
        if (batchLines < 1) throw new IllegalArgumentException("batch lines must be >= 1, got " + batchLines);
        this.format = format;
        this.batchLines = format == Format.LINES ? 1 : batchLines;
        this.meta = meta == null ? CloudWatchMeta.defaults() : meta;
        this.random = random;
        this.out = out;
    }

    public void add(String line) throws IOException {
        if (line.isBlank()) return;
        pending.add(line);
        if (pending.size() >= batchLines) flush();
    }

    /** Packs what is buffered; call once at the end. */
    public void finish() throws IOException {
        flush();
    }

    public long skippedLines() {
        return skippedLines;
    }

    private void flush() throws IOException {
        if (pending.isEmpty()) return;
        List<String> lines = List.copyOf(pending);
        pending.clear();
        pack(lines);
    }

    private void pack(List<String> lines) throws IOException {
        String key = format == Format.LINES ? partitionKey(lines.get(0)) : randomKey();
        byte[] data = switch (format) {
            case LINES -> lines.get(0).getBytes(StandardCharsets.UTF_8);
            case GZIP -> gzipLines(lines);
            case CLOUDWATCH -> cloudWatchEnvelope(lines);
        };
        Packed p = new Packed(data, key, lines.size());
        if (p.size() <= MAX_RECORD_BYTES) {
            out.accept(p);
        } else if (lines.size() == 1) {
            skippedLines++;
        } else {
            int half = lines.size() / 2;
            pack(lines.subList(0, half));
            pack(lines.subList(half, lines.size()));
        }
    }

    static byte[] gzipLines(List<String> lines) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            for (String line : lines) {
                gz.write(line.getBytes(StandardCharsets.UTF_8));
                gz.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return bytes.toByteArray();
    }

    byte[] cloudWatchEnvelope(List<String> lines) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long now = System.currentTimeMillis();
        try (OutputStream gz = new GZIPOutputStream(bytes); JsonGenerator g = JSON.createGenerator(gz)) {
            g.writeStartObject();
            g.writeStringField("messageType", "DATA_MESSAGE");
            g.writeStringField("owner", meta.owner());
            g.writeStringField("logGroup", meta.logGroup());
            g.writeStringField("logStream", meta.logStream());
            g.writeArrayFieldStart("subscriptionFilters");
            g.writeString(meta.subscriptionFilter());
            g.writeEndArray();
            g.writeArrayFieldStart("logEvents");
            for (String line : lines) {
                long ts = eventTime(line, now);
                g.writeStartObject();
                g.writeStringField("id", eventId(ts, eventSequence++));
                g.writeNumberField("timestamp", ts);
                g.writeStringField("message", line);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** CloudWatch event ids are 56 decimal digits; this one is time (20) + a run-unique sequence (36). */
    static String eventId(long timestamp, long sequence) {
        return String.format("%020d%036d", Math.max(0, timestamp), sequence);
    }

    /** The line's event time in epoch ms (WAF {@code timestamp}, ALB's ISO time field), else {@code fallback}. */
    static long eventTime(String line, long fallback) {
        if (line.startsWith("{")) {
            int i = line.indexOf("\"timestamp\":");
            if (i < 0) return fallback;
            int from = i + 12;
            while (from < line.length() && line.charAt(from) == ' ') from++;
            int to = from;
            while (to < line.length() && Character.isDigit(line.charAt(to))) to++;
            if (to == from || to - from > 15) return fallback;
            return Long.parseLong(line.substring(from, to));
        }
        int s1 = line.indexOf(' ');
        int s2 = s1 < 0 ? -1 : line.indexOf(' ', s1 + 1);
        if (s2 < 0) return fallback;
        try {
            return Instant.parse(line.substring(s1 + 1, s2)).toEpochMilli();
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }

    /** Client IP of a WAF or ALB line when it is cheap to find, else a random key. */
    String partitionKey(String line) {
        String ip = clientIp(line);
        return ip != null ? ip : randomKey();
    }

    static String clientIp(String line) {
        String ip = null;
        if (line.startsWith("{")) {
            int i = line.indexOf("\"clientIp\":\"");
            if (i >= 0) {
                int from = i + 12;
                int to = line.indexOf('"', from);
                if (to > from) ip = line.substring(from, to);
            }
        } else {
            // ALB: type time elb client:port ...
            int pos = 0;
            for (int field = 0; field < 3 && pos >= 0; field++) {
                pos = line.indexOf(' ', pos);
                if (pos >= 0) pos++;
            }
            if (pos > 0) {
                int end = line.indexOf(' ', pos);
                String client = end < 0 ? line.substring(pos) : line.substring(pos, end);
                int colon = client.lastIndexOf(':');
                if (colon > 0) ip = client.substring(0, colon).replace("[", "").replace("]", "");
            }
        }
        if (ip == null || ip.isEmpty() || ip.length() > 45) return null;
        for (int i = 0; i < ip.length(); i++) {
            char c = ip.charAt(i);
            if (!(Character.digit(c, 16) >= 0 || c == '.' || c == ':')) return null;
        }
        return ip;
    }

    private String randomKey() {
        return Long.toHexString(random.nextLong() | Long.MIN_VALUE);
    }
}
