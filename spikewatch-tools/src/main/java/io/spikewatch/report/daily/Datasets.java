package io.spikewatch.report.daily;

import java.util.List;

/**
 * The two datasets a rate can come from. A request that passes the WAF and then the load balancer
 * is in both, so the report never adds them up: it shows each, and where one number is needed
 * (charts, rankings) it takes the larger of the two ("requests seen").
 */
final class Datasets {
    static final String WAF = "aws.waf";
    static final String ALB = "aws.elb";
    static final List<String> ALL = List.of(WAF, ALB);

    private Datasets() {}

    static int index(String dataset) {
        return ALB.equals(dataset) ? 1 : 0;
    }

    static String label(String dataset) {
        return ALB.equals(dataset) ? "ALB" : "WAF";
    }
}
