package io.spikewatch.detection;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoField;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * The type information Flink's type extraction gave {@link KeyState} before {@code @TypeInfo}: a POJO
 * over its fields, serialized by the PojoSerializer. For tests of the size gain and of the migration
 * of state written that way.
 */
public final class PojoKeyStateType {
    private PojoKeyStateType() {}

    public static PojoTypeInfo<KeyState> typeInfo() {
        List<PojoField> fields = new ArrayList<>();
        for (Field f : KeyState.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || Modifier.isTransient(f.getModifiers())) continue;
            fields.add(new PojoField(f, TypeInformation.of(f.getType())));
        }
        return new PojoTypeInfo<>(KeyState.class, fields);
    }

    public static TypeSerializer<KeyState> serializer() {
        return typeInfo().createSerializer(new SerializerConfigImpl());
    }
}
