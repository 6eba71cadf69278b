package io.spikewatch.parsing;

import io.spikewatch.records.DeadLetterReason;

/**
 * A log line that cannot become an {@link io.spikewatch.records.AccessEvent}, with the
 * {@link DeadLetterReason} it will be filed under and a short detail (field name, position).
 *
 * <p>Bad input is an everyday event on attacker-facing logs, so this exception is cheap: no stack
 * trace is captured and it is never logged with one. The detail is capped so that a hostile value
 * quoted in it cannot bloat the dead-letter index.
 */
public class LogParseException extends Exception {
    private static final long serialVersionUID = 1L;
    static final int MAX_DETAIL_CHARS = 200;

    private final DeadLetterReason reason;

    public LogParseException(DeadLetterReason reason, String detail) {
        super(cap(detail), null, false, false);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }

    /** The short human-readable detail; same as {@link #getMessage()}. */
    public String detail() {
        return getMessage();
    }

    static String cap(String detail) {
        if (detail == null || detail.length() <= MAX_DETAIL_CHARS) return detail;
        int end = MAX_DETAIL_CHARS;
        if (Character.isHighSurrogate(detail.charAt(end - 1))) end--;
        return detail.substring(0, end) + "…";
    }
}
