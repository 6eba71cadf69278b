package io.spikewatch.detection;

import io.spikewatch.records.Evidence;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.ObjectArrayTypeInfo;

/**
 * Type information of {@link KeyState}: serialized by {@link KeyStateSerializer} instead of the
 * PojoSerializer (see there for why). Attached to the class by {@link KeyStateTypeInfoFactory}, so
 * {@code TypeInformation.of(KeyState.class)} and {@code new ValueStateDescriptor<>(name, KeyState.class)}
 * both use it. The nested parts are Flink POJOs, serialized by the serializers Flink's type
 * extraction builds for them under the job's serializer configuration.
 */
public final class KeyStateTypeInfo extends SerializerTypeInfo<KeyState> {
    private static final long serialVersionUID = 1L;

    public KeyStateTypeInfo() {
        super(KeyState.class);
    }

    @Override
    public TypeSerializer<KeyState> createSerializer(SerializerConfig config) {
        return new KeyStateSerializer(
                TypeInformation.of(Incident.class).createSerializer(config),
                TypeInformation.of(Evidence.class).createSerializer(config),
                ObjectArrayTypeInfo.getInfoFor(WindowCounts[].class, TypeInformation.of(WindowCounts.class))
                        .createSerializer(config));
    }
}
