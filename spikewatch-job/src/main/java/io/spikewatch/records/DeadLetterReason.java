package io.spikewatch.records;

/** Why an input became a dead letter. The code is what lands in the dead-letter index. */
public enum DeadLetterReason {
    /** Record bytes were not valid UTF-8 text, gzip or a CloudWatch Logs envelope. */
    UNDECODABLE_RECORD("undecodable_record"),
    /** Gzip stream ended early or was corrupt. */
    CORRUPT_GZIP("corrupt_gzip"),
    /** A CloudWatch Logs payload whose JSON did not have the documented shape. */
    INVALID_CLOUDWATCH_ENVELOPE("invalid_cloudwatch_envelope"),
    /** A decoded record or line exceeded the configured size cap. */
    OVERSIZED("oversized"),
    /** A line that is neither WAF JSON nor an ALB access-log line. */
    UNKNOWN_FORMAT("unknown_format"),
    /** WAF line is not valid JSON (truncated, bad escapes). */
    WAF_INVALID_JSON("waf_invalid_json"),
    /** WAF JSON lacks a required field or a field has the wrong type/value. */
    WAF_INVALID_FIELD("waf_invalid_field"),
    /** ALB line has fewer fields than the format requires or unbalanced quotes. */
    ALB_TRUNCATED("alb_truncated"),
    /** ALB field (time, client:port, status) could not be parsed. */
    ALB_INVALID_FIELD("alb_invalid_field"),
    /** Event arrived after its window had closed (watermark passed). */
    LATE_EVENT("late_event"),
    /**
     * Event time too far after the record's arrival, or too far from the recent event time of its
     * source (a wrong clock): kept away from the watermark, which it would drag along.
     */
    IMPLAUSIBLE_TIMESTAMP("implausible_timestamp"),
    /**
     * A decoder or parser failed in a way its input checks did not anticipate (a bug). Kept as a
     * dead letter rather than an exception so one poison record cannot put the job in a restart loop.
     */
    INTERNAL_ERROR("internal_error");

    private final String code;

    DeadLetterReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
