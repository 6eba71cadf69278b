package io.spikewatch.records;

/** The two log families spikewatch reads; each has its own watermarks, keyed state and dataset name. */
public enum LogSource {
    WAF("waf", "aws.waf"),
    ALB("alb", "aws.elb");

    private final String label;
    private final String dataset;

    LogSource(String label, String dataset) {
        this.label = label;
        this.dataset = dataset;
    }

    /** Short lower-case name used in keys and config (`waf`, `alb`). */
    public String label() {
        return label;
    }

    /** ECS `event.dataset` value written into every output document. */
    public String dataset() {
        return dataset;
    }
}
