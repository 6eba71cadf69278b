package io.spikewatch.functions;

import io.spikewatch.detection.Dimension;
import io.spikewatch.detection.Observation;
import io.spikewatch.detection.ObservationCombiner;
import io.spikewatch.records.AccessEvent;
import io.spikewatch.records.LogSource;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shuffle record's serializer keeps every field, and keeps an ip observation small. */
class ObservationSerializerTest {
    private static final long T0 = 1_793_620_800_000L;
    private final ObservationSerializer serializer = ObservationSerializer.INSTANCE;

    @Test
    void anIpObservationRoundTripsWithItsSampleCountryAndResource() throws IOException {
        Observation o = Observation.ofEvent(Dimension.IP, "2001:db8::1", event("2001:db8::1", T0 + 5, 404));
        Observation back = roundTrip(o);
        assertThat(back).usingRecursiveComparison().ignoringFields("pendingSamples", "pendingCount").isEqualTo(o);
        assertThat(back.samples().next()).isEqualTo("/ünïcode?q=1");
        assertThat(back.resource).isEqualTo("arn:aws:wafv2:us-east-1:123456789012:regional/webacl/x/1");
    }

    @Test
    void aCombinedObservationRoundTripsWithOnlyTheIpHashesInUse() throws IOException {
        ObservationCombiner combiner = new ObservationCombiner(60_000);
        List<Observation> out = new ArrayList<>();
        for (int i = 0; i < 10; i++) combiner.add(event("198.51.100." + i, T0 + 100 * i, i % 3 == 0 ? 500 : 200), out::add);
        combiner.flushAll(out::add);
        assertThat(out).hasSize(3);
        for (Observation o : out) {
            Observation back = roundTrip(o);
            assertThat(back).usingRecursiveComparison().ignoringFields("pendingSamples", "pendingCount").isEqualTo(o);
            assertThat(back.ipHashes).hasSize(10);
            assertThat(back.lastEventTime - back.firstEventTime).isEqualTo(900);
        }
    }

    @Test
    void nullsLargeCountsAndOutOfOrderTimesRoundTrip() throws IOException {
        Observation o = new Observation();
        o.dimension = Dimension.SCOPE;
        o.key = "all";
        o.firstEventTime = Long.MAX_VALUE - 5;
        o.lastEventTime = 3; // never produced, but the format must not depend on order
        o.total = Integer.MAX_VALUE;
        o.ipHashes = new long[] {-1L, Long.MIN_VALUE, 0, 42};
        o.ipHashCount = 2; // spare capacity is not shipped
        Observation back = roundTrip(o);
        assertThat(back.lastEventTime).isEqualTo(3);
        assertThat(back.firstEventTime).isEqualTo(Long.MAX_VALUE - 5);
        assertThat(back.total).isEqualTo(Integer.MAX_VALUE);
        assertThat(back.ipHashes).containsExactly(-1L, Long.MIN_VALUE);
        assertThat(back.country).isNull();
        assertThat(back.samples).isNull();
    }

    @Test
    void anIpObservationWithoutResourceIsAFewDozenBytesPlusItsSample() throws IOException {
        Observation o = Observation.ofEvent(Dimension.IP, "203.0.113.45", event("203.0.113.45", T0, 200));
        o.resource = null;
        int sample = o.samples.length;
        // header 1, key 13, time 8, delta 1, six counts 6, country 3, sample length 2 + count 1
        assertThat(size(o) - sample).isLessThanOrEqualTo(36);
    }

    @Test
    void copiesAreDeep() {
        Observation o = Observation.ofEvent(Dimension.COUNTRY, "DE", event("192.0.2.1", T0, 200));
        Observation copy = serializer.copy(o);
        assertThat(copy).usingRecursiveComparison().ignoringFields("pendingSamples", "pendingCount").isEqualTo(o);
        copy.samples[0] ^= 1;
        copy.ipHashes[0] ^= 1;
        assertThat(copy.samples[0]).isNotEqualTo(o.samples[0]);
        assertThat(copy.ipHashes[0]).isNotEqualTo(o.ipHashes[0]);
    }

    @Test
    void everyKindOfTextRoundTripsExactly() throws IOException {
        String[] texts = {"", "a", "US", "zz", "a1", "198.51.100.7", "2001:db8::1", "ünïcode", "日本",
                "lone \uD800 surrogate", "\u0000nul", "\u007F", "x".repeat(ObservationSerializer.MAX_TEXT_BYTES + 1)};
        for (String text : texts) {
            DataOutputSerializer out = new DataOutputSerializer(16);
            ObservationSerializer.writeText(text, out);
            DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
            assertThat(ObservationSerializer.readText(in)).isEqualTo(text);
            assertThat(in.available()).isZero();
        }
    }

    @Test
    void asciiTextIsALengthAndItsBytesAndCountryCodesAreSharedStrings() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        ObservationSerializer.writeText("203.0.113.45", out);
        assertThat(out.length()).isEqualTo(1 + 12);
        Observation o = Observation.ofEvent(Dimension.IP, "203.0.113.45", event("203.0.113.45", T0, 200));
        assertThat(roundTrip(o).country).isEqualTo("US").isSameAs(roundTrip(o).country);
    }

    @Test
    void corruptTextIsAnIoError() {
        // An odd length marker other than the non-ASCII one, a byte >= 0x80 in ASCII text, a length
        // beyond the cap, and a length past the end of the record.
        byte[][] corrupt = {{3}, {4, 'A', (byte) 0xC3}, {6, 'a', 'b', (byte) 0x80}, {(byte) 0x82, (byte) 0x80, (byte) 0x80, 1}, {8, 'a'}};
        for (byte[] bytes : corrupt) {
            assertThatThrownBy(() -> ObservationSerializer.readText(new DataInputDeserializer(bytes)))
                    .as("%s", java.util.Arrays.toString(bytes)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aCorruptRecordIsAnIoErrorNotAGarbageObservation() {
        DataInputDeserializer in = new DataInputDeserializer(new byte[] {3, 0});
        assertThatThrownBy(() -> serializer.deserialize(in)).isInstanceOf(IOException.class)
                .hasMessageContaining("dimension");
    }

    @Test
    void theSnapshotRestoresACompatibleSerializer() throws IOException {
        TypeSerializerSnapshot<Observation> snapshot = serializer.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(32);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<Observation> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(read.restoreSerializer()).isSameAs(serializer);
        TypeSerializerSchemaCompatibility<Observation> compat =
                serializer.snapshotConfiguration().resolveSchemaCompatibility(read);
        assertThat(compat.isCompatibleAsIs()).isTrue();
        assertThat(ObservationSerializer.TypeInfo.INSTANCE.createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl()))
                .isSameAs(serializer);
    }

    private Observation roundTrip(Observation o) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(o, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        Observation back = serializer.deserialize(in);
        assertThat(in.available()).isZero();
        // copy(DataInputView, DataOutputView) reproduces the bytes
        DataOutputSerializer again = new DataOutputSerializer(64);
        serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), again);
        assertThat(again.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
        return back;
    }

    private int size(Observation o) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(o, out);
        return out.length();
    }

    private static AccessEvent event(String ip, long ts, int status) {
        AccessEvent e = new AccessEvent();
        e.timestamp = ts;
        e.source = LogSource.WAF;
        e.clientIp = ip;
        e.country = "US";
        e.domestic = true;
        e.status = status;
        e.action = "ALLOW";
        e.uri = "/ünïcode?q=1";
        e.userAgent = "curl/8.5";
        e.requestId = "req-1";
        e.resource = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/x/1";
        return e;
    }
}
