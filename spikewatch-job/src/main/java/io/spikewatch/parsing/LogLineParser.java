package io.spikewatch.parsing;

import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.DeadLetter;
import io.spikewatch.records.DeadLetterReason;
import io.spikewatch.records.LogSource;

import java.io.Serializable;

/**
 * Turns one log line of either family into exactly one output: an event or a dead letter.
 *
 * <p>Input: a line (as produced by {@link RecordDecoder}), the stream it came from and a fallback
 * time for dead letters (the record's arrival time: a line that cannot be parsed has no event
 * time). Output, through {@link ParseOutput}: nothing for a blank line; otherwise one event or one
 * dead letter whose source is {@code waf}, {@code alb} or {@code unknown}.
 *
 * <p>The format is detected per line rather than per stream, because a replayed file or a shared
 * stream may mix both: first non-blank character <code>&#123;</code> → WAF JSON; a leading ALB type token
 * ({@code http}, {@code https}, {@code h2}, {@code grpcs}, {@code ws}, {@code wss}) followed by a
 * space → ALB; anything else → {@code unknown_format}. Lines longer than {@code maxLineChars} are
 * dead-lettered unparsed ({@code oversized}) so one hostile line cannot cost unbounded CPU.
 *
 * <p>Two entry points with the same semantics: a String (CloudWatch messages, files read as text),
 * and a range of UTF-8 bytes (plain records, straight from {@link RecordDecoder}), which reaches
 * the WAF parser without a String of the line ever being made; only an ALB line (the ALB parser is
 * char-based) or a dead letter's excerpt is decoded. Lengths are counted in chars in both, so the
 * {@code maxLineChars} cap means the same.
 *
 * <p>Never throws: a parser bug surfacing as a runtime exception becomes an {@code internal_error}
 * dead letter, since an exception in the Flink operator would fail and restart the job on the same
 * record forever. Not thread-safe: one instance per thread, as {@code ParseRecordsFunction} has one
 * per subtask (the WAF and ALB parsers keep scratch space and values that repeat between lines;
 * neither changes a result).
 */
public class LogLineParser implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int DEFAULT_MAX_LINE_CHARS = 65536;
    static final String UNKNOWN_SOURCE = "unknown";

    private final int maxLineChars;
    private final WafLogParser waf = new WafLogParser();
    private final AlbLogParser alb = new AlbLogParser();

    public LogLineParser() {
        this(DEFAULT_MAX_LINE_CHARS);
    }

    public LogLineParser(int maxLineChars) {
        if (maxLineChars <= 0) throw new IllegalArgumentException("maxLineChars must be positive");
        this.maxLineChars = maxLineChars;
    }

    public void parse(String line, String stream, long fallbackTime, ParseOutput out) {
        if (line == null) return;
        int len = line.length();
        while (len > 0 && line.charAt(len - 1) == '\r') len--;
        if (len < line.length()) line = line.substring(0, len);
        int first = 0;
        while (first < len && Character.isWhitespace(line.charAt(first))) first++;
        if (first == len) return;

        LogSource format = detect(line, first);
        String source = format == null ? UNKNOWN_SOURCE : format.label();
        if (len > maxLineChars) {
            out.deadLetter(DeadLetter.of(DeadLetterReason.OVERSIZED,
                    "line of " + len + " chars exceeds " + maxLineChars, source, stream, line, fallbackTime));
            return;
        }
        if (format == null) {
            out.deadLetter(DeadLetter.of(DeadLetterReason.UNKNOWN_FORMAT,
                    "neither WAF JSON nor an ALB access-log entry", source, stream, line, fallbackTime));
            return;
        }
        AccessEvent event;
        try {
            event = format == LogSource.WAF ? waf.parse(line) : alb.parse(line);
        } catch (LogParseException e) {
            out.deadLetter(DeadLetter.of(e.reason(), e.detail(), source, stream, line, fallbackTime));
            return;
        } catch (RuntimeException e) {
            out.deadLetter(DeadLetter.of(DeadLetterReason.INTERNAL_ERROR,
                    LogParseException.cap(e.toString()), source, stream, line, fallbackTime));
            return;
        }
        // Outside the try: a failure downstream of the callback is not this line's fault.
        out.event(event);
    }

    /**
     * {@link #parse(String, String, long, ParseOutput)} of the line {@code buf[from, to)}, which must
     * be valid UTF-8 (as {@link RecordDecoder} guarantees).
     */
    public void parse(byte[] buf, int from, int to, String stream, long fallbackTime, ParseOutput out) {
        int end = to;
        while (end > from && buf[end - 1] == '\r') end--;
        int first = Utf8Text.skipWhitespace(buf, from, end);
        if (first == end) return;

        LogSource format = detect(buf, first, end);
        String source = format == null ? UNKNOWN_SOURCE : format.label();
        // A UTF-8 line has at most as many chars as bytes: count chars only when the bytes exceed the cap.
        if (end - from > maxLineChars) {
            int chars = Utf8Text.charCount(buf, from, end);
            if (chars > maxLineChars) {
                out.deadLetter(DeadLetter.of(DeadLetterReason.OVERSIZED,
                        "line of " + chars + " chars exceeds " + maxLineChars, source, stream,
                        excerpt(buf, from, end), fallbackTime));
                return;
            }
        }
        if (format == null) {
            out.deadLetter(DeadLetter.of(DeadLetterReason.UNKNOWN_FORMAT,
                    "neither WAF JSON nor an ALB access-log entry", source, stream, excerpt(buf, from, end),
                    fallbackTime));
            return;
        }
        AccessEvent event;
        try {
            event = format == LogSource.WAF ? waf.parse(buf, from, end) : alb.parse(Utf8Text.decode(buf, from, end));
        } catch (LogParseException e) {
            out.deadLetter(DeadLetter.of(e.reason(), e.detail(), source, stream, excerpt(buf, from, end), fallbackTime));
            return;
        } catch (RuntimeException e) {
            out.deadLetter(DeadLetter.of(DeadLetterReason.INTERNAL_ERROR,
                    LogParseException.cap(e.toString()), source, stream, excerpt(buf, from, end), fallbackTime));
            return;
        }
        out.event(event);
    }

    /** Enough of the line for {@link DeadLetter#excerpt}, which then cuts it exactly as for the String. */
    private static String excerpt(byte[] buf, int from, int to) {
        return Utf8Text.prefix(buf, from, to, DeadLetter.MAX_EXCERPT_CHARS);
    }

    /** {@link #detect(String, int)} on bytes; the markers are ASCII, so bytes compare as chars. */
    static LogSource detect(byte[] buf, int first, int to) {
        if (buf[first] == '{') return LogSource.WAF;
        for (String type : AlbLogParser.TYPES) {
            int after = first + type.length();
            if (after < to && buf[after] == ' ' && startsWith(buf, first, type)) return LogSource.ALB;
        }
        return null;
    }

    private static boolean startsWith(byte[] buf, int at, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            if (buf[at + i] != ascii.charAt(i)) return false;
        }
        return true;
    }

    /** The format of a log line (leading blanks skipped): WAF, ALB, or null when it is neither. */
    public static LogSource formatOf(String line) {
        int first = 0;
        while (first < line.length() && Character.isWhitespace(line.charAt(first))) first++;
        return first == line.length() ? null : detect(line, first);
    }

    /** WAF, ALB, or null when the line is neither; {@code first} is the first non-blank index. */
    static LogSource detect(String line, int first) {
        if (line.charAt(first) == '{') return LogSource.WAF;
        for (String type : AlbLogParser.TYPES) {
            int after = first + type.length();
            if (after < line.length() && line.charAt(after) == ' ' && line.startsWith(type, first)) {
                return LogSource.ALB;
            }
        }
        return null;
    }
}
