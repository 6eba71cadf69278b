package io.spikewatch.detection;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Type information of a class that has a hand-written serializer ({@link KeyState}, the shuffle's
 * {@code Observation}): an opaque, non-key type whose serializer is {@link #createSerializer}.
 * Holds the boilerplate Flink's {@link TypeInformation} asks for, so each subclass only says which
 * class and which serializer. Instances of one subclass are all equal.
 */
public abstract class SerializerTypeInfo<T> extends TypeInformation<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;

    protected SerializerTypeInfo(Class<T> type) {
        this.type = type;
    }

    @Override
    public abstract TypeSerializer<T> createSerializer(SerializerConfig config);

    /** The pre-1.19 entry point, still abstract in Flink 1.20. */
    @Override
    @Deprecated
    public TypeSerializer<T> createSerializer(ExecutionConfig config) {
        return createSerializer(config.getSerializerConfig());
    }

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
    public Class<T> getTypeClass() {
        return type;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public String toString() {
        return type.getSimpleName() + "(" + getClass().getSimpleName() + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o != null && o.getClass() == getClass();
    }

    @Override
    public int hashCode() {
        return getClass().hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o != null && o.getClass() == getClass();
    }
}
