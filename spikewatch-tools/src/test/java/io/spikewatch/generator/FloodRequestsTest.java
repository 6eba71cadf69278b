package io.spikewatch.generator;

import io.spikewatch.parsing.CollectingOutput;
import io.spikewatch.parsing.LogLineParser;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FloodRequestsTest {
    private static final long T = 1_800_000_000_123L;

    @Test
    void wafLinesParseAsTheFloodsIpCountryAndTime() {
        FloodRequests.Flood flood = new FloodRequests(3, "US").next();
        CollectingOutput out = new CollectingOutput();
        new LogLineParser().parse(flood.wafLine(T), "waf", 0, out);
        assertThat(out.deadLetters).isEmpty();
        assertThat(out.events).singleElement().satisfies(e -> {
            assertThat(e.clientIp).isEqualTo(flood.ip());
            assertThat(e.country).isEqualTo(flood.country());
            assertThat(e.timestamp).isEqualTo(T);
        });
    }

    @Test
    void everyFloodHasAFreshAddressAndTheSequenceDoesNotDependOnRequestsSent() {
        FloodRequests a = new FloodRequests(5, "US");
        FloodRequests b = new FloodRequests(5, "US");
        Set<String> ips = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            FloodRequests.Flood fa = a.next();
            FloodRequests.Flood fb = b.next();
            for (int k = 0; k < i; k++) fa.wafLine(T + k);
            assertThat(fb.ip()).isEqualTo(fa.ip());
            ips.add(fa.ip());
        }
        assertThat(ips).hasSize(50);
    }
}
