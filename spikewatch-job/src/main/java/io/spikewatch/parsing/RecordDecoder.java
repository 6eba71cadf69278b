package io.spikewatch.parsing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.spikewatch.records.DeadLetter;
import io.spikewatch.records.DeadLetterReason;
import io.spikewatch.records.RawRecord;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Turns one transport record into log lines, whatever wrapping it arrived in.
 *
 * <p>Input: a {@link RawRecord} whose bytes are one of
 * <ul>
 *   <li>UTF-8 text with one or more lines ({@code \n} or {@code \r\n});
 *   <li>a gzip (magic {@code 1f 8b}) of such text;
 *   <li>a gzip CloudWatch Logs subscription payload, the usual way WAF logs reach Kinesis:
 *       {@code {"messageType":"DATA_MESSAGE","logEvents":[{"message":"<line>"},…],…}}. Every
 *       {@code message} is emitted (split further if it holds several lines);
 *       {@code CONTROL_MESSAGE} (the health check CloudWatch sends) emits nothing. Several envelopes
 *       concatenated in one record, as Firehose writes them to S3, are read one after another.
 * </ul>
 * Output, through {@link LineSink}: each non-blank line without its line terminator — as a byte
 * range of the record for plain text (gzipped or not), as a String for CloudWatch messages — or one
 * dead letter: {@code oversized} (more than {@code maxDecompressedBytes} after decompression),
 * {@code corrupt_gzip}, {@code undecodable_record} (invalid UTF-8) or
 * {@code invalid_cloudwatch_envelope}. Decoder dead letters have source {@code unknown} (the log
 * family is only known per line), the record's stream and its arrival time.
 *
 * <p>Dead-letter excerpts: when the failure is in the bytes (gzip, size, UTF-8) the excerpt is
 * {@code base64:} followed by the Base64 of the record's first {@value #EXCERPT_BYTES} bytes, so
 * the dead-letter index stays valid text and the bytes can be recovered for a bug report. For an
 * invalid envelope it is the start of the decoded text.
 *
 * <p>Why a limit during decompression rather than after: a gzip bomb (a few hundred KB inflating to
 * gigabytes) must be stopped while streaming. Output is buffered up to the limit and no further, so
 * memory per record is a small multiple of the limit (growing buffer, then the decoded text)
 * whatever the input claims.
 *
 * <p>Why byte ranges: the parse operator's cost is per event, and building a String of each ~1.2 KB
 * WAF record only for {@link WafLogParser} to encode it back to UTF-8 would be two copies of every
 * record. The record is still validated as UTF-8 as a whole (one check loop for ASCII, no copy),
 * so a line handed on as bytes is always valid UTF-8.
 *
 * <p>Envelope detection: a WAF line also starts with <code>&#123;</code>, so the envelope is recognized by a
 * top-level {@code messageType} key. A record whose first key is {@code "timestamp"}, as in every
 * AWS WAF record, is a WAF record outright; otherwise a cheap substring check for
 * {@code "messageType"} comes first, so a plain record is JSON-parsed only once (by the line
 * parser); only when the key occurs somewhere (e.g. a header named messageType) is the record's top
 * level read to decide.
 *
 * <p>Never throws on any input (unexpected failures become {@code internal_error}); exceptions
 * thrown by the sink itself propagate. Stateless and thread-safe.
 */
public class RecordDecoder implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_MAX_DECOMPRESSED_BYTES = 16 * 1024 * 1024;
    static final int EXCERPT_BYTES = 512;
    private static final String SOURCE = LogLineParser.UNKNOWN_SOURCE;
    private static final JsonFactory JSON =
            JsonFactory.builder().disable(JsonFactory.Feature.INTERN_FIELD_NAMES).build();

    /** Receives the decoder's output: lines to parse, or a dead letter for the whole record. */
    public interface LineSink {
        /** A non-blank line without its terminator (a CloudWatch message, or part of one). */
        void line(String line);

        /**
         * A non-blank line of a plain record: {@code buf[from, to)}, valid UTF-8, without its
         * terminator. The array is the record's (or its inflated copy): read it during the call
         * only, and do not modify it. The default makes the String, for sinks that want one.
         */
        default void line(byte[] buf, int from, int to) {
            line(Utf8Text.decode(buf, from, to));
        }

        void deadLetter(DeadLetter d);
    }

    private final int maxDecompressedBytes;

    public RecordDecoder() {
        this(DEFAULT_MAX_DECOMPRESSED_BYTES);
    }

    public RecordDecoder(int maxDecompressedBytes) {
        if (maxDecompressedBytes <= 0 || maxDecompressedBytes == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxDecompressedBytes must be in 1..Integer.MAX_VALUE-1");
        }
        this.maxDecompressedBytes = maxDecompressedBytes;
    }

    /** What one record decoded to; emitted only after decoding so sink exceptions are not masked. */
    private static final class Decoded {
        /** Plain text to split into lines, {@code text[from, to)} in valid UTF-8, or null. */
        byte[] text;
        int from;
        int to;
        /** CloudWatch messages of the envelopes read completely, or null. */
        List<String> messages;
        /** Failure for the (rest of the) record, emitted after any messages. */
        DeadLetter failure;
    }

    public void decode(RawRecord record, LineSink out) {
        if (record == null || record.data == null || record.data.length == 0) return;
        Decoded d;
        try {
            d = decode(record);
        } catch (RuntimeException e) {
            d = new Decoded();
            d.failure = DeadLetter.of(DeadLetterReason.INTERNAL_ERROR, LogParseException.cap(e.toString()),
                    SOURCE, record.stream, binaryExcerpt(record.data), record.arrivalTime);
        }
        if (d.text != null) emitLines(d.text, d.from, d.to, out);
        if (d.messages != null) {
            for (String message : d.messages) emitLines(message, out);
        }
        if (d.failure != null) out.deadLetter(d.failure);
    }

    private Decoded decode(RawRecord record) {
        Decoded d = new Decoded();
        byte[] data = record.data;
        ByteBuffer bytes;
        try {
            if (data.length >= 2 && data[0] == (byte) 0x1f && data[1] == (byte) 0x8b) {
                bytes = gunzip(data);
            } else if (data.length > maxDecompressedBytes) {
                throw new LogParseException(DeadLetterReason.OVERSIZED,
                        "record of " + data.length + " bytes exceeds " + maxDecompressedBytes);
            } else {
                bytes = ByteBuffer.wrap(data);
            }
            d.text = bytes.array();
            d.from = utf8(bytes);
            d.to = bytes.limit();
        } catch (LogParseException e) {
            d.failure = deadLetter(record, e, binaryExcerpt(data));
            return d;
        }
        if (looksLikeEnvelope(d.text, d.from, d.to)) {
            readEnvelopes(Utf8Text.decode(d.text, d.from, d.to), record, d);
            if (d.messages != null || d.failure != null) d.text = null;
        }
        return d;
    }

    /** Inflates into a buffer that grows up to the limit and no further (gzip bomb guard). */
    private ByteBuffer gunzip(byte[] data) throws LogParseException {
        int cap = maxDecompressedBytes + 1; // one byte past the limit proves the excess
        byte[] buf = new byte[(int) Math.min(cap, Math.max(8192L, data.length * 4L))];
        int pos = 0;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data), 8192)) {
            while (true) {
                if (pos == buf.length) {
                    if (buf.length >= cap) {
                        throw new LogParseException(DeadLetterReason.OVERSIZED,
                                "gzip inflates beyond " + maxDecompressedBytes + " bytes");
                    }
                    buf = Arrays.copyOf(buf, (int) Math.min(cap, buf.length * 2L));
                }
                int n = in.read(buf, pos, buf.length - pos);
                if (n < 0) break;
                pos += n;
            }
        } catch (IOException e) {
            // ZipException (bad header, data or CRC) and EOFException (truncated) alike.
            throw new LogParseException(DeadLetterReason.CORRUPT_GZIP, e.toString());
        }
        return ByteBuffer.wrap(buf, 0, pos);
    }

    /**
     * Strict UTF-8 (malformed input is reported, not replaced: a replaced character would silently
     * change a URI or user agent) over a heap buffer whose array offset is 0 (both of ours are).
     * Returns where the text starts: after a leading byte-order mark, which is dropped.
     */
    static int utf8(ByteBuffer bytes) throws LogParseException {
        byte[] b = bytes.array();
        int from = bytes.position();
        int to = bytes.limit();
        if (to - from >= 3 && b[from] == (byte) 0xEF && b[from + 1] == (byte) 0xBB && b[from + 2] == (byte) 0xBF) {
            from += 3;
        }
        Utf8Text.validate(b, from, to);
        return from;
    }

    // ---- CloudWatch Logs envelope ---------------------------------------------------------

    private static final byte[] MESSAGE_TYPE_KEY = "\"messageType\"".getBytes(StandardCharsets.US_ASCII);

    /**
     * Index in the key of the byte the search looks for first: the {@code y}. Every plain WAF record
     * is searched, and each occurrence of the anchor costs a key comparison (two word compares).
     * {@code y} is the rarest byte of the key in WAF JSON: 3-11 per record in our samples
     * (terminatingRuleType, country), against 9-13 for {@code T} and dozens for the others. A
     * two-byte anchor (such as {@code "m}, 0-2 per record) would need a second mask per
     * word to save those few comparisons.
     */
    private static final int MESSAGE_TYPE_ANCHOR = 9;

    /** The first key of every AWS WAF log record; no CloudWatch Logs envelope has it at its top level. */
    private static final byte[] WAF_FIRST_KEY = "\"timestamp\"".getBytes(StandardCharsets.US_ASCII);

    /**
     * Whether the record may be an envelope: its first JSON value is an object with a
     * {@code "messageType"} somewhere (the top level is read to decide). An object whose first key
     * is {@code "timestamp"} is taken for a WAF record without that search: AWS writes that key
     * first in every WAF log record, and an envelope's top-level keys (messageType, owner,
     * logGroup, logStream, subscriptionFilters, logEvents) never include it. The search would read
     * the whole ~1.2 KB of every plain WAF record, a cost well above its UTF-8 check; an object that
     * starts with "timestamp" and also has a top-level messageType, which AWS never writes, is
     * handed to the WAF parser, which reports it if it is not a WAF record.
     */
    private static boolean looksLikeEnvelope(byte[] b, int from, int to) {
        int i = Utf8Text.skipWhitespace(b, from, to);
        if (i >= to || b[i] != '{') return false;
        int key = Utf8Text.skipWhitespace(b, i + 1, to);
        if (to - key >= WAF_FIRST_KEY.length && ByteScan.regionEquals(b, key, WAF_FIRST_KEY, 0, WAF_FIRST_KEY.length)) {
            return false;
        }
        return ByteScan.indexOf(b, i, to, MESSAGE_TYPE_KEY, MESSAGE_TYPE_ANCHOR) >= 0;
    }

    /** Top-level keys of one envelope as read so far. */
    private static final class Envelope {
        String messageType;
        boolean hasMessageType;
        boolean hasLogEvents;
        /** First violation of the documented shape; only an error once messageType proves an envelope. */
        String shapeError;
        final List<String> messages = new ArrayList<>();
    }

    /**
     * Reads the JSON values of the text one after another as envelopes. Leaves {@code d} untouched
     * when the first value is not an envelope (no top-level messageType, or broken JSON before one
     * was seen): then the text is plain lines, e.g. a WAF record with a header named messageType.
     * Each envelope is all-or-nothing: its messages are kept only if it was read completely, so a
     * replay after a fix does not duplicate part of it.
     */
    private static void readEnvelopes(String text, RawRecord record, Decoded d) {
        List<String> messages = new ArrayList<>();
        boolean first = true;
        Envelope env = null;
        try (JsonParser p = JSON.createParser(text)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t != JsonToken.START_OBJECT) {
                    if (first) return;
                    throw envelopeError("expected another envelope object, got " + t);
                }
                env = new Envelope();
                readEnvelope(p, env);
                if (!env.hasMessageType) {
                    if (first) return;
                    throw envelopeError("missing messageType");
                }
                if (env.shapeError != null) throw envelopeError(env.shapeError);
                if ("DATA_MESSAGE".equals(env.messageType)) {
                    if (!env.hasLogEvents) throw envelopeError("DATA_MESSAGE without logEvents");
                    messages.addAll(env.messages);
                } else if (!"CONTROL_MESSAGE".equals(env.messageType)) {
                    throw envelopeError("unknown messageType " + env.messageType);
                }
                first = false;
            }
        } catch (JsonProcessingException e) {
            if (first && (env == null || !env.hasMessageType)) return;
            d.failure = deadLetter(record, envelopeError(jsonError(e)), text);
        } catch (LogParseException e) {
            d.failure = deadLetter(record, e, text);
        } catch (IOException e) {
            d.failure = deadLetter(record, envelopeError(e.toString()), text);
        }
        d.messages = messages;
    }

    private static void readEnvelope(JsonParser p, Envelope env) throws IOException {
        String name;
        while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            switch (name) {
                case "messageType" -> {
                    env.hasMessageType = true;
                    if (t == JsonToken.VALUE_STRING) {
                        env.messageType = p.getText();
                    } else {
                        p.skipChildren();
                        shape(env, "messageType is not a string");
                    }
                }
                case "logEvents" -> {
                    env.hasLogEvents = true;
                    if (t == JsonToken.START_ARRAY) {
                        readLogEvents(p, env);
                    } else {
                        p.skipChildren();
                        shape(env, "logEvents is not an array");
                    }
                }
                default -> p.skipChildren();
            }
        }
    }

    private static void readLogEvents(JsonParser p, Envelope env) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                shape(env, "logEvents entry is not an object");
                continue;
            }
            String message = null;
            String name;
            while ((name = p.nextFieldName()) != null) {
                JsonToken v = p.nextToken();
                if (name.equals("message") && v == JsonToken.VALUE_STRING) {
                    message = p.getText();
                } else {
                    p.skipChildren();
                }
            }
            if (message == null) shape(env, "logEvents entry without a string message");
            else env.messages.add(message);
        }
    }

    /** Jackson's message without its source excerpt (the excerpt is kept in the dead letter). */
    private static String jsonError(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String msg = e.getOriginalMessage();
        if (at == null) return msg;
        return msg + " at " + (at.getCharOffset() >= 0 ? "char " + at.getCharOffset() : "byte " + at.getByteOffset());
    }

    private static void shape(Envelope env, String error) {
        if (env.shapeError == null) env.shapeError = error;
    }

    private static LogParseException envelopeError(String detail) {
        return new LogParseException(DeadLetterReason.INVALID_CLOUDWATCH_ENVELOPE, detail);
    }

    // ---- output ---------------------------------------------------------------------------

    /**
     * {@link #emitLines(String, LineSink)} over UTF-8 bytes, handing on ranges of {@code b}: a
     * {@code \n} byte never occurs inside a multi-byte sequence, so the split is the same.
     */
    static void emitLines(byte[] b, int from, int to, LineSink out) {
        int pos = from;
        while (true) {
            int nl = ByteScan.indexOf(b, pos, to, (byte) '\n');
            if (nl < 0) nl = to;
            int e = nl;
            while (e > pos && b[e - 1] == '\r') e--;
            if (Utf8Text.skipWhitespace(b, pos, e) < e) out.line(b, pos, e);
            if (nl == to) return;
            pos = nl + 1;
        }
    }

    /** Splits on {@code \n}, drops trailing {@code \r}s and blank lines; no copy for a single line. */
    static void emitLines(String text, LineSink out) {
        int len = text.length();
        int pos = 0;
        while (true) {
            int nl = text.indexOf('\n', pos);
            int end = nl < 0 ? len : nl;
            int e = end;
            while (e > pos && text.charAt(e - 1) == '\r') e--;
            if (!isBlank(text, pos, e)) out.line(pos == 0 && e == len ? text : text.substring(pos, e));
            if (nl < 0) return;
            pos = nl + 1;
        }
    }

    private static boolean isBlank(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isWhitespace(s.charAt(i))) return false;
        }
        return true;
    }

    private static DeadLetter deadLetter(RawRecord record, LogParseException e, String excerpt) {
        return DeadLetter.of(e.reason(), e.detail(), SOURCE, record.stream, excerpt, record.arrivalTime);
    }

    /** {@code base64:} + Base64 of the first {@value #EXCERPT_BYTES} bytes (fits the excerpt cap). */
    static String binaryExcerpt(byte[] data) {
        int n = Math.min(data.length, EXCERPT_BYTES);
        return "base64:" + Base64.getEncoder().encodeToString(Arrays.copyOf(data, n));
    }
}
