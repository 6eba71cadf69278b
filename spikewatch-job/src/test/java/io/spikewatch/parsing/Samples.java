package io.spikewatch.parsing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Sample log lines from src/test/resources/samples, one record per line.
 *
 * <p>Provenance: the WAF samples are the six records of the AWS WAF Developer Guide page "Log
 * examples" (awsdocs/aws-waf-and-shield-advanced-developer-guide, doc_source/logging-examples.md),
 * minified to one line each as WAF writes them. The ALB samples are the "Example HTTP/HTTPS/HTTP/2/
 * WebSockets/secured WebSockets entry" and "Examples for Lambda functions" of the ELB guide page
 * "Access log entries for your Application Load Balancer" (values as in the archived guide source,
 * awsdocs/elb-application-load-balancers-user-guide), joined to one line and written in the layout
 * of the current page: quoted target:port and status lists and a trailing conn_trace_id
 * ({@code TID_1234abcd5678ef90}). alb-https-2019-doc-format.log keeps the archived source's layout
 * (unquoted target list, no conn_trace_id) to show both parse the same.
 */
final class Samples {
    static final String[] WAF = {
        "waf-sqli-block.json", "waf-sqli-count-allow.json", "waf-rule-group-block.json",
        "waf-json-body-block.json", "waf-captcha-valid-token.json", "waf-captcha-missing-token.json"
    };
    static final String[] ALB = {
        "alb-http.log", "alb-https.log", "alb-h2.log", "alb-ws.log", "alb-wss.log",
        "alb-lambda-success.log", "alb-lambda-failure.log", "alb-https-2019-doc-format.log"
    };

    private Samples() {}

    /** The single line of a sample file, without its line terminator. */
    static String line(String name) {
        List<String> lines = text(name).lines().toList();
        if (lines.size() != 1) throw new IllegalStateException(name + " must hold exactly one line");
        return lines.get(0);
    }

    static String text(String name) {
        try (InputStream in = Samples.class.getResourceAsStream("/samples/" + name)) {
            if (in == null) throw new IllegalStateException("missing sample " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
