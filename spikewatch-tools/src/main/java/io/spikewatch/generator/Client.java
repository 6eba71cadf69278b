package io.spikewatch.generator;

/**
 * One client address and the habits that stay fixed for it: browser, HTTP version, TLS version.
 * Real clients keep one user agent and protocol; a generator that drew them per request would make
 * every IP look like a bot rotating user agents.
 */
final class Client {
    final int id;
    final String ip;
    final int country;
    final String countryCode;
    final boolean domestic;
    final String userAgent;
    final boolean http2;
    final boolean tls13;
    /** A mobile or desktop app talking JSON rather than a browser loading pages. */
    final boolean app;

    Client(int id, String ip, int country, String countryCode, boolean domestic, String userAgent, boolean http2,
            boolean tls13, boolean app) {
        this.id = id;
        this.ip = ip;
        this.country = country;
        this.countryCode = countryCode;
        this.domestic = domestic;
        this.userAgent = userAgent;
        this.http2 = http2;
        this.tls13 = tls13;
        this.app = app;
    }

    String scope() {
        return domestic ? "domestic" : "foreign";
    }
}
