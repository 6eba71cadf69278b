package io.spikewatch.records;

/**
 * Input that could not be turned into an {@link AccessEvent}, kept with the reason so nothing is
 * dropped silently. The raw excerpt is capped ({@link #MAX_EXCERPT_CHARS}) because log lines are
 * attacker-controlled and may be huge.
 */
public class DeadLetter {
    public static final int MAX_EXCERPT_CHARS = 1024;

    /** Machine-readable reason code, e.g. {@code waf_invalid_json}; see {@link DeadLetterReason}. */
    public String reason;
    /** Human-readable detail (field name, position); never contains more than a short excerpt. */
    public String detail;
    /** {@code waf}, {@code alb} or {@code unknown} when the format could not be told. */
    public String source;
    /** Input the record came from: Kinesis stream name or file path. */
    public String stream;
    /** First {@link #MAX_EXCERPT_CHARS} characters of the offending input. */
    public String rawExcerpt;
    /** When the dead letter was created: event time when known, else ingestion time (epoch ms). */
    public long timestamp;

    public DeadLetter() {}

    public static DeadLetter of(DeadLetterReason reason, String detail, String source, String stream,
                                String raw, long timestamp) {
        DeadLetter d = new DeadLetter();
        d.reason = reason.code();
        // Details can quote input (a field value, a token): capped like the excerpt.
        d.detail = excerpt(detail);
        d.source = source;
        d.stream = stream;
        d.rawExcerpt = excerpt(raw);
        d.timestamp = timestamp;
        return d;
    }

    public static String excerpt(String raw) {
        if (raw == null) return null;
        if (raw.length() <= MAX_EXCERPT_CHARS) return raw;
        int end = MAX_EXCERPT_CHARS;
        // Do not cut a surrogate pair in half: the excerpt must stay valid UTF-16.
        if (Character.isHighSurrogate(raw.charAt(end - 1))) end--;
        return raw.substring(0, end);
    }

    @Override
    public String toString() {
        return "DeadLetter{" + reason + ": " + detail + " [" + source + "@" + stream + "]}";
    }
}
