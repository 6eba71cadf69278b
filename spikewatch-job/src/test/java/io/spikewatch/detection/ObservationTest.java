package io.spikewatch.detection;

import io.spikewatch.records.Evidence;

import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.LogSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Evidence samples are encoded by hand; they must read back as the strings that went in. */
class ObservationTest {
    @Test
    void samplesReadBackExactlyIncludingUnicodeAndNulls() {
        AccessEvent e = event("/ü/\uD83D\uDE00/مرحبا?q=𝄞", "bot \u202egnp.exe", null, "");
        Observation o = Observation.ofEvent(Dimension.IP, "192.0.2.1", e);
        Observation.SampleReader r = o.samples();
        assertThat(r.next()).isEqualTo("/ü/\uD83D\uDE00/مرحبا?q=𝄞");
        assertThat(r.next()).isEqualTo("bot \u202egnp.exe");
        assertThat(r.next()).isNull();
        assertThat(r.next()).isEmpty();
        assertThat(r.next()).as("no more fields").isNull();
    }

    @Test
    void theEncodingIsUtf8AsTheJdkWritesIt() {
        String s = "aé€\uD83D\uDE00z" + "x".repeat(300);
        Observation o = Observation.ofEvent(Dimension.IP, "192.0.2.1", event(s, null, null, null));
        byte[] expected = Evidence.cap(s).getBytes(StandardCharsets.UTF_8);
        byte[] field = java.util.Arrays.copyOfRange(o.samples, 2, 2 + expected.length);
        assertThat(field).isEqualTo(expected);
        assertThat(o.samples().next()).hasSize(Evidence.MAX_VALUE_CHARS);
    }

    @Test
    void unpairedSurrogatesBecomeQuestionMarksLikeTheJdk() {
        String s = "a\uD800b\uDC00";
        Observation o = Observation.ofEvent(Dimension.IP, "192.0.2.1", event(s, null, null, null));
        assertThat(o.samples().next()).isEqualTo(new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .isEqualTo("a?b?");
    }

    @Test
    void samplesAreAppendedAfterTheFirstAndJoinedToExactlyTheirBytes() {
        byte[] first = Observation.encodeSample(event("/one", "ua1", "R1", "id1"));
        Observation o = Observation.ofEvent(Dimension.COUNTRY, "DE", event("/one", "ua1", "R1", "id1"), first);
        for (int i = 2; i <= 9; i++) o.appendSample(Observation.encodeSample(event("/" + i, "ua" + i, null, "id" + i)));
        o.joinSamples();

        Observation.SampleReader r = o.samples();
        assertThat(new String[] {r.next(), r.next(), r.next(), r.next(), r.next(), r.next(), r.next(), r.next()})
                .containsExactly("/one", "ua1", "R1", "id1", "/2", "ua2", null, "id2");
        for (int i = 3; i <= 9; i++) {
            assertThat(new String[] {r.next(), r.next(), r.next(), r.next()}).containsExactly("/" + i, "ua" + i, null, "id" + i);
        }
        assertThat(o.sampleCount).isEqualTo(9);
        // Exactly the nine samples, no spare capacity, and the first one's array was not written to.
        assertThat(o.samples).hasSize(first.length + 8 * (8 + 2 + 3 + 3));
        assertThat(first).isEqualTo(Observation.encodeSample(event("/one", "ua1", "R1", "id1")));
    }

    @Test
    void anObservationsFirstSampleIsSharedNotCopiedAndNeverWrittenTo() {
        byte[] a = Observation.encodeSample(event("/a", "ua", "R", "id-a"));
        byte[] b = Observation.encodeSample(event("/b", "ub", null, "id-b"));
        byte[] aBefore = a.clone();
        Observation o = new Observation();
        o.appendSample(a);
        assertThat(o.samples).isSameAs(a);
        o.joinSamples();
        assertThat(o.samples).isSameAs(a);

        o.appendSample(b);
        o.joinSamples();
        assertThat(a).isEqualTo(aBefore);
        Observation.SampleReader r = o.samples();
        assertThat(new String[] {r.next(), r.next(), r.next(), r.next(), r.next(), r.next(), r.next(), r.next()})
                .containsExactly("/a", "ua", "R", "id-a", "/b", "ub", null, "id-b");
        assertThat(o.samples).hasSize(a.length + b.length);
    }

    private static AccessEvent event(String uri, String agent, String rule, String id) {
        AccessEvent e = new AccessEvent();
        e.timestamp = 1_793_620_800_000L;
        e.source = LogSource.WAF;
        e.clientIp = "192.0.2.1";
        e.status = 200;
        e.action = "ALLOW";
        e.uri = uri;
        e.userAgent = agent;
        e.terminatingRule = rule;
        e.requestId = id;
        return e;
    }
}
