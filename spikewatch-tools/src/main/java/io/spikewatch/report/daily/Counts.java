package io.spikewatch.report.daily;

import io.spikewatch.analyst.RateRow;

/** Requests, blocked, 4xx and 5xx summed over rate documents. */
final class Counts {
    long requests;
    long blocked;
    long status4xx;
    long status5xx;

    void add(RateRow r) {
        requests += r.total();
        blocked += r.blocked();
        status4xx += r.status4xx();
        status5xx += r.status5xx();
    }
}
