package io.spikewatch.generator;

/**
 * One generated HTTP request with everything both logs need: what the client sent, what WAF decided
 * and what the load balancer and target answered. Mutable and short-lived: built by
 * {@link RequestFactory}, formatted by {@link WafLogFormat} and {@link AlbLogFormat}, then dropped.
 */
final class SyntheticRequest {
    /** Creation order within the run; breaks timestamp ties so that output order is deterministic. */
    long seq;
    /** When the request arrived: WAF {@code timestamp} and ALB {@code request_creation_time} (ms). */
    long createdMillis;
    /** When the load balancer finished the response: ALB {@code time} (µs). */
    long completedMicros;
    Client client;
    int clientPort;
    String method;
    String uri;
    /** Query string without '?', empty when none (WAF writes "" then). */
    String args = "";
    String accept;
    /** Null when the client sent no User-Agent header. */
    String userAgent;
    /** Terminating WAF rule; null when allowed by the default action. */
    WafRule rule;
    int elbStatus;
    /** -1 when no target answered. */
    int targetStatus;
    /** Processing times in µs; -1 where ALB writes -1. */
    long requestProcessingMicros;
    long targetProcessingMicros;
    long responseProcessingMicros;
    int receivedBytes;
    int sentBytes;
    /** -1 when not forwarded. */
    int target;
    /** 96 random bits of the trace id. */
    long traceHigh;
    int traceLow;
    /** Connection identity: drives the port, conn_trace_id and TLS session reuse. */
    long connection;

    boolean blocked() {
        return rule != null;
    }
}
