package io.spikewatch.detection;

import io.spikewatch.records.Evidence;
import io.spikewatch.records.TopCounts;

import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.LogSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ObservationCombinerTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();

    private final ObservationCombiner combiner = new ObservationCombiner(MINUTE);
    private final List<Observation> out = new ArrayList<>();

    @Test
    void countryAndScopeCountsAreExactAcrossBatches() {
        for (int i = 0; i < 1000; i++) {
            combiner.add(event("203.0.113." + (i % 200), i % 3 == 0 ? "US" : "CN", T0 + i * 5L, i % 10 == 0 ? 403 : 200), out::add);
        }
        combiner.flushAll(out::add);
        assertThat(combiner.isEmpty()).isTrue();
        assertThat(sum(Dimension.SCOPE, "all", o -> o.total)).isEqualTo(1000);
        assertThat(sum(Dimension.COUNTRY, "US", o -> o.total)).isEqualTo(334);
        assertThat(sum(Dimension.COUNTRY, "CN", o -> o.total)).isEqualTo(666);
        assertThat(sum(Dimension.SCOPE, "domestic", o -> o.total)).isEqualTo(334);
        assertThat(sum(Dimension.SCOPE, "foreign", o -> o.total)).isEqualTo(666);
        assertThat(sum(Dimension.SCOPE, "all", o -> o.clientErrors)).isEqualTo(100);
        assertThat(sum(Dimension.SCOPE, "all", o -> o.blocked)).isEqualTo(100);
        // Every event's ip hash travels, so unique counts stay right.
        assertThat(sum(Dimension.SCOPE, "all", o -> o.ipHashCount)).isEqualTo(1000);
        assertThat(out).allSatisfy(o -> {
            assertThat(o.total).isBetween(1, ObservationCombiner.MAX_EVENTS);
            assertThat(o.lastEventTime - o.firstEventTime).isLessThan(ObservationCombiner.MAX_SPAN_MILLIS);
            assertThat(o.sampleCount).isBetween(1, ObservationCombiner.SAMPLES);
            assertThat(o.ipHashes).hasSize(o.ipHashCount);
        });
    }

    @Test
    void aFullObservationIsEmittedAtOnceWithoutWaitingForAFlush() {
        for (int i = 0; i < ObservationCombiner.MAX_EVENTS; i++) combiner.add(event("198.51.100.1", "CN", T0 + i, 200), out::add);
        assertThat(out).filteredOn(o -> o.key.equals("all")).singleElement()
                .satisfies(o -> assertThat(o.total).isEqualTo(ObservationCombiner.MAX_EVENTS));
    }

    @Test
    void anObservationNeverSpansTwoWindowsOrMoreThanASecond() {
        combiner.add(event("198.51.100.1", "CN", T0 + MINUTE - 10, 200), out::add);
        combiner.add(event("198.51.100.1", "CN", T0 + MINUTE + 10, 200), out::add);
        assertThat(out).extracting(o -> o.key).containsExactlyInAnyOrder("CN", "foreign", "all");
        out.clear();
        combiner.add(event("198.51.100.1", "CN", T0 + MINUTE + 10 + ObservationCombiner.MAX_SPAN_MILLIS, 200), out::add);
        assertThat(out).extracting(o -> o.firstEventTime).containsOnly(T0 + MINUTE + 10);
    }

    @Test
    void unknownCountryCountsInScopesOnly() {
        combiner.add(event("198.51.100.1", null, T0, 200), out::add);
        combiner.flushAll(out::add);
        assertThat(out).extracting(Observation::stateKey).containsExactlyInAnyOrder("scope|foreign", "scope|all");
    }

    @Test
    void evidenceIsSampledAndScaledToTheObservation() {
        for (int i = 0; i < ObservationCombiner.MAX_EVENTS; i++) {
            AccessEvent e = event("198.51.100.1", "CN", T0 + i, 200);
            e.uri = "/x".repeat(500);
            combiner.add(e, out::add);
        }
        Observation all = out.stream().filter(o -> o.key.equals("all")).findFirst().orElseThrow();
        Evidence ev = Evidence.empty();
        all.addTo(ev);
        assertThat(ev.requests).isEqualTo(ObservationCombiner.MAX_EVENTS);
        TopCounts.Entry top = ev.uris.top(1).get(0);
        assertThat(top.value()).hasSize(Evidence.MAX_VALUE_CHARS);
        assertThat(top.count()).isEqualTo(ObservationCombiner.MAX_EVENTS);
    }

    @Test
    void samplesRoundTripAsUtf8WithNullsAndUnicode() {
        AccessEvent e = event("2001:db8::1", "CN", T0, 200);
        e.uri = "/caf\u00e9/\u4e2d\uD83D\uDE00";
        e.userAgent = null;
        e.terminatingRule = "Rate\u202ELimit";
        Observation o = Observation.ofEvent(Dimension.IP, e.clientIp, e);
        Observation.SampleReader r = o.samples();
        assertThat(r.next()).isEqualTo(e.uri);
        assertThat(r.next()).isNull();
        assertThat(r.next()).isEqualTo(e.terminatingRule);
        assertThat(r.next()).isEqualTo(e.requestId);
        assertThat(r.next()).isNull(); // past the end
    }

    private long sum(Dimension dim, String key, java.util.function.ToLongFunction<Observation> f) {
        return out.stream().filter(o -> o.dimension == dim && o.key.equals(key)).mapToLong(f).sum();
    }

    private static AccessEvent event(String ip, String country, long ts, int status) {
        AccessEvent e = new AccessEvent();
        e.timestamp = ts;
        e.source = LogSource.WAF;
        e.clientIp = ip;
        e.country = country;
        e.domestic = "US".equals(country);
        e.status = status;
        e.action = status == 403 ? "BLOCK" : "ALLOW";
        e.uri = "/";
        e.userAgent = "ua";
        e.requestId = "r-" + ts;
        return e;
    }
}
