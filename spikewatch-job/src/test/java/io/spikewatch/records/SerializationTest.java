package io.spikewatch.records;

import io.spikewatch.records.Evidence;
import io.spikewatch.detection.Observation;
import io.spikewatch.detection.Incident;
import io.spikewatch.detection.KeyState;
import io.spikewatch.detection.RollingBaseline;
import io.spikewatch.detection.SeasonalProfile;
import io.spikewatch.records.TopCounts;
import io.spikewatch.detection.WindowCounts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

/**
 * Every type that crosses an operator boundary or sits in state is a Flink POJO, never Kryo.
 * {@link KeyState} is not listed: it has a hand-written compact serializer over the POJOs listed
 * here, and KeyStateSerializerTest proves that it needs no Kryo.
 */
class SerializationTest {
    @ParameterizedTest
    @ValueSource(classes = {AccessEvent.class, RawRecord.class, DeadLetter.class, RateDocument.class,
            AlertDocument.class, Observation.class, WindowCounts.class, Incident.class,
            Evidence.class, TopCounts.class, SeasonalProfile.class, RollingBaseline.class})
    void serializedAsPojoWithoutKryo(Class<?> type) {
        assertSerializedAsPojoWithoutKryo(type);
    }
}
