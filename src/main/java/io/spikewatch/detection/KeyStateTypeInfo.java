package io.spikewatch.detection;

import org.apache.flink.api.common.ExecutionConfig;
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
public final class KeyStateTypeInfo extends TypeInformation<KeyState> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<KeyState> getTypeClass() {
        return KeyState.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<KeyState> createSerializer(SerializerConfig config) {
        return new KeyStateSerializer(
                TypeInformation.of(Incident.class).createSerializer(config),
                TypeInformation.of(Evidence.class).createSerializer(config),
                ObjectArrayTypeInfo.getInfoFor(WindowCounts[].class, TypeInformation.of(WindowCounts.class))
                        .createSerializer(config));
    }

    /** The pre-1.19 entry point, still abstract in Flink 1.20. */
    @Override
    @Deprecated
    public TypeSerializer<KeyState> createSerializer(ExecutionConfig config) {
        return createSerializer(config.getSerializerConfig());
    }

    @Override
    public String toString() {
        return "KeyState(compact)";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyStateTypeInfo;
    }

    @Override
    public int hashCode() {
        return KeyStateTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof KeyStateTypeInfo;
    }
}
