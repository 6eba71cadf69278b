package io.spikewatch.detection;

import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

import java.lang.reflect.Type;
import java.util.Map;

/** Named by {@code @TypeInfo} on {@link KeyState}: Flink's type extraction asks it for the type information. */
public final class KeyStateTypeInfoFactory extends TypeInfoFactory<KeyState> {
    @Override
    public TypeInformation<KeyState> createTypeInfo(Type type, Map<String, TypeInformation<?>> genericParameters) {
        return new KeyStateTypeInfo();
    }
}
