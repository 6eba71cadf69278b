package io.spikewatch.functions;

import io.spikewatch.detection.Dimension;
import io.spikewatch.records.AccessEvent;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Emits the four keyed views of an event: ip, country (if known), domestic/foreign scope, and all. */
public class FanOutObservations implements FlatMapFunction<AccessEvent, Observation> {
    public static final String SCOPE_DOMESTIC = "domestic";
    public static final String SCOPE_FOREIGN = "foreign";
    public static final String SCOPE_ALL = "all";

    @Override
    public void flatMap(AccessEvent e, Collector<Observation> out) {
        out.collect(new Observation(Dimension.IP, e.clientIp, e));
        if (e.country != null) out.collect(new Observation(Dimension.COUNTRY, e.country, e));
        // Unknown country counts as foreign: only a positive home-country match is domestic.
        out.collect(new Observation(Dimension.SCOPE, e.domestic ? SCOPE_DOMESTIC : SCOPE_FOREIGN, e));
        out.collect(new Observation(Dimension.SCOPE, SCOPE_ALL, e));
    }
}
